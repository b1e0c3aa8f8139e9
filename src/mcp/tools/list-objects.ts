/** The shared shape of list_tables and list_views: objects of a database or one schema, optionally by LIKE. */
import { z } from 'zod';
import { listObjects, objectSchema } from '../catalog.js';
import type { ObjectInfo } from '../catalog.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import type { Tool } from '../tool-types.js';
import { likeArg, listingText, nameArg } from './common.js';

const inputSchema = z.strictObject({
  database: nameArg('Database'),
  schema: nameArg('Schema (all schemas of the database but INFORMATION_SCHEMA when left out)').optional(),
  like: likeArg.optional(),
});

/** A listing tool for tables or views. */
export function objectListTool(kind: 'TABLES' | 'VIEWS'): Tool {
  const noun = kind === 'TABLES' ? 'tables' : 'views';
  return defineTool({
    name: `list_${noun}`,
    title: `List ${noun}`,
    description:
      `Lists the ${noun} of a database or of one schema (SHOW ${kind} … IN DATABASE | IN SCHEMA), ` +
      `optionally filtered by a LIKE pattern on the name: database, schema, name, kind, comment` +
      (kind === 'TABLES' ? ', row count and bytes.' : '.'),
    inputSchema,
    outputSchema: z.object({ [noun]: z.array(objectSchema), truncated: z.boolean() }),
    annotations: READ_ONLY_HINTS,
    async run(args, call) {
      const { items, truncated } = await listObjects(call, kind, args);
      const columns: (keyof ObjectInfo)[] =
        kind === 'TABLES'
          ? ['database', 'schema', 'name', 'kind', 'rows', 'comment']
          : ['database', 'schema', 'name', 'kind', 'comment'];
      return {
        structured: { [noun]: items, truncated },
        text: [listingText(items, columns, truncated, noun)],
      };
    },
  });
}
