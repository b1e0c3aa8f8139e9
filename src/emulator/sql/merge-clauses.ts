/**
 * The actions of a MERGE statement, read from its significant tokens: the SET list of each
 * `WHEN MATCHED … THEN UPDATE SET …` and the body of each `WHEN NOT MATCHED … THEN INSERT …`, and
 * the Snowflake form DuckDB refuses in them: a SET column named with the target's name or alias
 * (`UPDATE SET t.v = s.v`), which names the target's column `v`.
 */
import { isSignificant, splitTopLevelCommas } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** One action of a MERGE: its UPDATE's SET items, or its INSERT's `[(cols)] VALUES (…)`. */
export type MergeAction = { kind: 'UPDATE'; sets: Token[] } | { kind: 'INSERT'; body: Token[] };

/** The UPDATE and INSERT actions of MERGE statement `sig` (significant tokens), from index `from`. */
export function mergeActions(sig: readonly Token[], from: number): MergeAction[] {
  const word = (k: number): string => (sig[k]?.kind === 'word' ? sig[k].text.toUpperCase() : '');
  const actions: MergeAction[] = [];
  let depth = 0;
  for (let k = from; k < sig.length; k++) {
    const text = sig[k]?.text;
    if (text === '(') depth++;
    else if (text === ')') depth--;
    if (depth !== 0 || word(k) !== 'THEN') continue;
    if (word(k + 1) === 'UPDATE' && word(k + 2) === 'SET')
      actions.push({ kind: 'UPDATE', sets: sig.slice(k + 3, clauseEnd(sig, k + 3)) });
    if (word(k + 1) === 'INSERT')
      actions.push({ kind: 'INSERT', body: sig.slice(k + 2, clauseEnd(sig, k + 2)) });
  }
  return actions;
}

/**
 * Where the clause starting at `from` ends: the next WHEN outside brackets and CASE … END, `;`, or
 * the end.
 */
function clauseEnd(sig: readonly Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < sig.length; k++) {
    const t = sig[k];
    const word = t?.kind === 'word' ? t.text.toUpperCase() : '';
    if (t?.text === '(' || word === 'CASE') depth++;
    else if (t?.text === ')' || word === 'END') depth--;
    else if (depth === 0 && (t?.text === ';' || word === 'WHEN')) return k;
  }
  return sig.length;
}

/**
 * MERGE statement `tokens` with the qualifiers of its SET columns dropped (`SET t.v = s.v` →
 * `SET v = s.v`): DuckDB takes only the column's name, which can only be the target's column.
 */
export function withUnqualifiedSets(tokens: Token[]): Token[] {
  const sig = tokens.filter(isSignificant);
  const drop = new Set<Token>();
  for (const action of mergeActions(sig, 1)) {
    if (action.kind !== 'UPDATE') continue;
    for (const item of splitTopLevelCommas(action.sets)) {
      const eq = item.findIndex((t) => t.text === '=');
      for (const t of item.slice(0, Math.max(0, eq - 1))) drop.add(t);
    }
  }
  return drop.size === 0 ? tokens : tokens.filter((t) => !drop.has(t));
}
