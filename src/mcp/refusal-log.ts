/**
 * The log line of a statement the guard refused, so an operator sees in `smcp logs` which client
 * tried what. SQL can carry secrets (a password in CREATE USER, a token in a string), so the info
 * line names the tool, client, statement kind and keyword, its length and a short SHA-256 to match
 * it against a report, but never the text; the full reason, with its excerpt, is a debug line.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { ClientIdentity } from './request-context.js';
import { shortId } from './request-tracker.js';
import type { StatementRefusedError } from './sql-policy.js';

/** The SQL a tool call carried: the statement, or query_view's fragments. */
function sqlOf(args: Record<string, unknown>): string {
  return ['sql', 'where', 'order_by']
    .map((key) => args[key])
    .filter((v): v is string => typeof v === 'string')
    .join('\n');
}

/** Logs `err` for a call of `tool` by `identity` with `args`. Never throws. */
export function logRefusal(
  logger: Logger,
  tool: string,
  identity: ClientIdentity,
  args: Record<string, unknown>,
  err: StatementRefusedError,
): void {
  const sql = sqlOf(args);
  logger.info('statement refused', {
    tool,
    client: shortId(identity.clientId),
    transport: identity.transport,
    ...(identity.clientName ? { clientName: identity.clientName.slice(0, 60) } : {}),
    statement: err.statementIndex,
    kind: err.statement?.kind ?? 'fragment',
    keyword: err.statement?.keyword.slice(0, 60) ?? '',
    ...(err.details.field ? { field: err.details.field } : {}),
    sqlChars: sql.length,
    sqlSha256: createHash('sha256').update(sql).digest('hex').slice(0, 12),
  });
  logger.debug('statement refused: reason', { tool, reason: err.message });
}
