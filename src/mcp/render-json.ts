/**
 * JSON rendering: an array of row objects keyed by column name. Values are exactly the structured
 * ones (VARIANT JSON null and SQL NULL are both null here; structuredContent.jsonNulls tells them
 * apart). DEL and C1 controls are written as \u escapes, so the text holds no raw control
 * character and still parses to the same values.
 */
import { escapeJsonControls } from './control-chars.js';
import type { LayoutFactory, RenderColumn } from './render-cells.js';

/**
 * Column names made unique for JSON object keys. The first column of a name keeps it; a repeated
 * name gets the first free suffix `_2`, `_3`, … that is neither a real column name nor already
 * given: N, N, N_2 → N, N_3, N_2.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const used = new Set<string>();
  return names.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}_${n}`) || used.has(`${name}_${n}`)) n++;
    const key = `${name}_${n}`;
    used.add(key);
    return key;
  });
}

/** The JSON layout of a tabular result: `[{…},{…}]` with keys from uniqueNames. */
export const jsonLayout: LayoutFactory = (columns: readonly RenderColumn[]) => {
  const keys = uniqueNames(columns.map((c) => c.name));
  return {
    head: '[',
    row(values: readonly unknown[], index: number): string {
      // defineProperty semantics (fromEntries): a column named __proto__ is a plain key.
      const object = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
      return (index > 0 ? ',' : '') + escapeJsonControls(JSON.stringify(object));
    },
    tail: ']',
  };
};
