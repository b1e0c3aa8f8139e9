/** list_schemas: the schemas of one database. */
import { z } from 'zod';
import { listSchemas, schemaSchema } from '../catalog.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { ageSchema, aged, listingText, nameArg } from './common.js';

/** The list_schemas tool. */
export const listSchemasTool = defineTool({
  name: 'list_schemas',
  title: 'List schemas',
  description: 'The schemas of a database, with comments.',
  inputSchema: z.strictObject({ database: nameArg() }),
  outputSchema: z.object({
    schemas: z.array(schemaSchema),
    truncated: z.boolean(),
    metadataAgeSeconds: ageSchema,
  }),
  annotations: READ_ONLY_HINTS,
  async run(args, call) {
    const { items, truncated, metadataAgeSeconds } = await listSchemas(call, args.database);
    return {
      structured: { schemas: items, truncated, ...aged(metadataAgeSeconds) },
      text: [listingText(items, ['database', 'name', 'comment'], truncated, 'schemas')],
    };
  },
});
