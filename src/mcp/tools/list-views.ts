/** list_views: views of a database or one schema, optionally filtered by LIKE. */
import { objectListTool } from './list-objects.js';

/** The list_views tool. */
export const listViewsTool = objectListTool('VIEWS');
