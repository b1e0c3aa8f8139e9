/** The shared shape of describe_table and describe_view: columns, kind, comment, view text. */
import { z } from 'zod';
import { describeObject, objectDescriptionSchema } from '../catalog.js';
import type { ObjectDescription } from '../catalog.js';
import { escapeControls } from '../control-chars.js';
import { markdownTable } from '../render-markdown.js';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import type { Tool } from '../tool-types.js';
import { nameArg } from './common.js';

/** Readable text of a description: heading, comment, columns table, view text. */
export function descriptionText(d: ObjectDescription): string {
  const lines = [escapeControls(`${d.kind} ${d.database}.${d.schema}.${d.name}`)];
  if (d.comment) lines.push(`Comment: ${escapeControls(d.comment)}`);
  if (d.rows !== undefined && d.rows !== null) lines.push(`Rows: ${d.rows}`);
  lines.push(
    '',
    markdownTable(
      ['column', 'type', 'nullable', 'default', 'primary key', 'comment'],
      d.columns.map((c) => [
        c.name,
        c.type,
        c.nullable ? 'Y' : 'N',
        c.default ?? '',
        c.primaryKey ? 'Y' : '',
        c.comment ?? '',
      ]),
    ),
  );
  if (d.text) lines.push('', 'Definition:', '```sql', escapeControls(d.text), '```');
  return lines.join('\n');
}

/** A describe tool for views (refuses tables) or tables (describes views too). */
export function describeTool(kind: 'view' | 'table'): Tool {
  return defineTool({
    name: `describe_${kind}`,
    title: `Describe a ${kind}`,
    description:
      `Columns of a ${kind} (types, nullability, defaults, comments)` +
      (kind === 'view' ? ' and its SQL definition where visible.' : ' and its row count.'),
    inputSchema: z.strictObject({
      database: nameArg(),
      schema: nameArg(),
      [kind]: nameArg(),
    }),
    outputSchema: objectDescriptionSchema,
    annotations: READ_ONLY_HINTS,
    async run(args, call) {
      const object = String(args[kind]);
      const description = await describeObject(
        call,
        { database: String(args.database), schema: String(args.schema), object },
        kind,
      );
      return { structured: description, text: [descriptionText(description)] };
    },
  });
}
