/**
 * Every smcp tool, in the order tools/list shows them. Tools of one shape share a definition:
 * list_tables and list_views (objectListTool), describe_table and describe_view (describeTool).
 */
import type { Tool } from '../tool-types.js';
import { describeTool } from './describe-object.js';
import { executeQueryTool } from './execute-query.js';
import { fetchResultsTool } from './fetch-results.js';
import { listDatabasesTool } from './list-databases.js';
import { objectListTool } from './list-objects.js';
import { listSchemasTool } from './list-schemas.js';
import { queryStatusTool } from './query-status.js';
import { queryViewTool } from './query-view.js';
import { searchObjectsTool } from './search-objects.js';

/** The tool definitions (canonical names, without prefix). */
export const TOOLS: readonly Tool[] = Object.freeze([
  listDatabasesTool,
  listSchemasTool,
  searchObjectsTool,
  objectListTool('TABLES'),
  objectListTool('VIEWS'),
  describeTool('table'),
  describeTool('view'),
  queryViewTool,
  executeQueryTool,
  fetchResultsTool,
  queryStatusTool,
]);
