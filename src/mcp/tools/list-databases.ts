/** list_databases: the databases the role can see. */
import { z } from 'zod';
import { databaseSchema, listDatabases } from '../catalog.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { listingText } from './common.js';

/** The list_databases tool. */
export const listDatabasesTool = defineTool({
  name: 'list_databases',
  title: 'List databases',
  description: 'Start here: the databases the role can see, with comments and owners.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({ databases: z.array(databaseSchema), truncated: z.boolean() }),
  annotations: READ_ONLY_HINTS,
  async run(_args, call) {
    const { items, truncated } = await listDatabases(call);
    return {
      structured: { databases: items, truncated },
      text: [listingText(items, ['name', 'comment', 'owner'], truncated, 'databases')],
    };
  },
});
