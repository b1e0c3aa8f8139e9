/** list_databases: the databases the role can see. */
import { z } from 'zod';
import { databaseSchema, listDatabases } from '../catalog.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { ageSchema, aged, listingText } from './common.js';

/** The list_databases tool. */
export const listDatabasesTool = defineTool({
  name: 'list_databases',
  title: 'List databases',
  description: 'Start here: the databases the role can see, with comments.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({
    databases: z.array(databaseSchema),
    truncated: z.boolean(),
    metadataAgeSeconds: ageSchema,
  }),
  annotations: READ_ONLY_HINTS,
  async run(_args, call) {
    const { items, truncated, metadataAgeSeconds } = await listDatabases(call);
    return {
      structured: { databases: items, truncated, ...aged(metadataAgeSeconds) },
      text: [listingText(items, ['name', 'comment', 'owner'], truncated, 'databases')],
    };
  },
});
