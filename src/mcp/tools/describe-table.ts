/** describe_table: columns, types, nullability and comments of a table (or a view). */
import { describeTool } from './describe-object.js';

/** The describe_table tool. */
export const describeTableTool = describeTool('table');
