/** list_tables: tables of a database or one schema, optionally filtered by LIKE. */
import { objectListTool } from './list-objects.js';

/** The list_tables tool. */
export const listTablesTool = objectListTool('TABLES');
