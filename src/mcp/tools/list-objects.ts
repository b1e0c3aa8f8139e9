/** The shared shape of list_tables and list_views: objects of a database or one schema, optionally by LIKE. */
import { z } from 'zod';
import { listObjects, objectSchema } from '../catalog.js';
import type { ObjectInfo } from '../catalog.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import type { Tool } from '../tool-types.js';
import { ageSchema, aged, likeArg, listingText, nameArg } from './common.js';

const inputSchema = z.strictObject({
  database: nameArg(),
  schema: nameArg().optional(),
  like: likeArg.optional(),
});

/** A listing tool for tables or views. */
export function objectListTool(kind: 'TABLES' | 'VIEWS'): Tool {
  const noun = kind === 'TABLES' ? 'tables' : 'views';
  return defineTool({
    name: `list_${noun}`,
    title: `List ${noun}`,
    description:
      `The ${noun} of a database or one schema, with comments` +
      (kind === 'TABLES' ? ' and row counts.' : '.'),
    inputSchema,
    outputSchema: z.object({
      [noun]: z.array(objectSchema),
      truncated: z.boolean(),
      metadataAgeSeconds: ageSchema,
    }),
    annotations: READ_ONLY_HINTS,
    async run(args, call) {
      const { items, truncated, metadataAgeSeconds } = await listObjects(call, kind, args);
      const columns: (keyof ObjectInfo)[] =
        kind === 'TABLES'
          ? ['database', 'schema', 'name', 'kind', 'rows', 'comment']
          : ['database', 'schema', 'name', 'kind', 'comment'];
      return {
        structured: { [noun]: items, truncated, ...aged(metadataAgeSeconds) },
        text: [listingText(items, columns, truncated, noun)],
      };
    },
  });
}
