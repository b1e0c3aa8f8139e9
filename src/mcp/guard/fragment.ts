/**
 * The guard for query_view's `where` and `order_by` fragments: they are pasted into a SELECT that
 * smcp builds, so they must be an expression (or a list of sort keys) and nothing more — no way to
 * end the clause, the statement, or hide text.
 */
import { findHazard } from './hazards.js';
import { FRAGMENT_CLAUSE_WORDS } from './lists.js';
import { Tok, tokenize } from './tokenizer.js';
import type { FragmentVerdict } from './verdicts.js';

const FRAGMENT_MAX = 64 * 1024;
const refuse = (reason: string): FragmentVerdict => ({ allowed: false, reason });
// Words that would open a statement inside parentheses; only SELECT may.
const SUBQUERY_STARTS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'VALUES']);

/**
 * Checks a WHERE or ORDER BY fragment. Refuses: empty text; anything that does not tokenize; any
 * comment; `;`; unbalanced parentheses; clause words outside parentheses (`UNION`, `LIMIT`, `FROM`,
 * …); a top-level `,` in a WHERE; `->>`; a subquery that is not a plain `(SELECT …)` read; and every
 * hazard a read statement is refused for (SYSTEM$ functions, TABLE(<procedure>), NEXTVAL, …).
 */
export function checkFragment(fragment: string, clause: 'where' | 'order_by'): FragmentVerdict {
  const label = clause === 'where' ? 'the where filter' : 'the order_by list';
  if (fragment.length > FRAGMENT_MAX) return refuse(`${label} is longer than ${FRAGMENT_MAX} characters`);
  try {
    return checkFragmentUnsafe(fragment, clause, label);
  } catch {
    // Nothing in it should throw; if it does, the answer is still a refusal, never a crash.
    return refuse(`${label} cannot be parsed safely`);
  }
}

function checkFragmentUnsafe(fragment: string, clause: 'where' | 'order_by', label: string): FragmentVerdict {
  const lexed = tokenize(fragment);
  if (!lexed.ok) return refuse(`${label} cannot be parsed safely: ${lexed.reason}`);
  const ts = lexed.tokens;
  if (ts.count === 0) return refuse(`${label} is empty`);
  if (ts.comments > 0) return refuse(`${label} contains a comment; comments are not allowed in filters`);
  let depth = 0;
  for (let i = 0; i < ts.count; i++) {
    const k = ts.kind(i);
    if (k === Tok.Semi) return refuse(`${label} contains ";"; it must be a single expression`);
    if (k === Tok.Flow) return refuse(`${label} contains the ->> flow operator`);
    if (k === Tok.LParen) {
      depth++;
      // Subqueries must be plain (SELECT …); what they contain is covered by the hazard scan below,
      // which refuses write keywords, FOR UPDATE, NEXTVAL and calls at any depth.
      const inner = ts.word(i + 1);
      if (inner !== undefined && inner !== 'SELECT' && SUBQUERY_STARTS.has(inner)) {
        return refuse(
          `${label} contains a (${inner} …) subquery; only a plain (SELECT …) subquery is allowed`,
        );
      }
    } else if (k === Tok.RParen) {
      depth--;
      if (depth < 0) return refuse(`${label} has an unbalanced ")"`);
    } else if (depth === 0 && k === Tok.Word && FRAGMENT_CLAUSE_WORDS.has(ts.word(i)!)) {
      return refuse(`${label} contains ${ts.word(i)!} outside parentheses; it must stay within its clause`);
    } else if (depth === 0 && clause === 'where' && k === Tok.Comma) {
      return refuse(`${label} contains "," outside parentheses; it must be a single expression`);
    }
  }
  if (depth !== 0) return refuse(`${label} has an unbalanced "("`);
  const hazard = findHazard(ts, 0, ts.count, 'read');
  if (hazard) return refuse(`${label} ${hazard.reason}`);
  return { allowed: true };
}
