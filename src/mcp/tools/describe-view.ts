/** describe_view: columns of a view and its definition where visible. */
import { describeTool } from './describe-object.js';

/** The describe_view tool. */
export const describeViewTool = describeTool('view');
