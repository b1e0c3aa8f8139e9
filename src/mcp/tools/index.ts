/** Every smcp tool, in the order tools/list shows them. */
import type { Tool } from '../tool-types.js';
import { describeTableTool } from './describe-table.js';
import { describeViewTool } from './describe-view.js';
import { executeQueryTool } from './execute-query.js';
import { fetchResultsTool } from './fetch-results.js';
import { listDatabasesTool } from './list-databases.js';
import { listSchemasTool } from './list-schemas.js';
import { listTablesTool } from './list-tables.js';
import { listViewsTool } from './list-views.js';
import { queryStatusTool } from './query-status.js';
import { queryViewTool } from './query-view.js';

/** The tool definitions (canonical names, without prefix). */
export const TOOLS: readonly Tool[] = Object.freeze([
  listDatabasesTool,
  listSchemasTool,
  listTablesTool,
  listViewsTool,
  describeTableTool,
  describeViewTool,
  queryViewTool,
  executeQueryTool,
  fetchResultsTool,
  queryStatusTool,
]);
