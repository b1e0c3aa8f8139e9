/**
 * SHOW PARAMETERS: the session's parameters beside Snowflake's defaults.
 */
import { DEFAULT_TIMEZONE, type ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { likeRegex, result, syntax } from './show-common.js';
import type { Cell } from './show-common.js';
import { stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Session parameters SHOW PARAMETERS lists, with Snowflake's defaults. */
const PARAMETER_DEFAULTS: [string, string, string, string][] = [
  [
    'AUTOCOMMIT',
    'true',
    'BOOLEAN',
    'The autocommit property determines whether is statement should to be implicitly wrapped within a transaction or not.',
  ],
  ['BINARY_OUTPUT_FORMAT', 'HEX', 'STRING', 'Display format for binary values.'],
  ['DATE_OUTPUT_FORMAT', 'YYYY-MM-DD', 'STRING', 'Display format for dates.'],
  ['MULTI_STATEMENT_COUNT', '1', 'NUMBER', 'Number of statement included in submitted query text.'],
  [
    'QUERY_TAG',
    '',
    'STRING',
    'String (up to 4096 characters) used to tag statements executed by the session.',
  ],
  ['ROWS_PER_RESULTSET', '0', 'NUMBER', 'Maximum number of rows in a result set.'],
  ['STATEMENT_TIMEOUT_IN_SECONDS', '172800', 'NUMBER', 'Timeout in seconds for statements.'],
  ['TIMESTAMP_LTZ_OUTPUT_FORMAT', '', 'STRING', 'Display format for TIMESTAMP_LTZ values.'],
  [
    'TIMESTAMP_NTZ_OUTPUT_FORMAT',
    'YYYY-MM-DD HH24:MI:SS.FF3',
    'STRING',
    'Display format for TIMESTAMP_NTZ values.',
  ],
  [
    'TIMESTAMP_OUTPUT_FORMAT',
    'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
    'STRING',
    'Default display format for all timestamp types.',
  ],
  [
    'TIMESTAMP_TYPE_MAPPING',
    'TIMESTAMP_NTZ',
    'STRING',
    'If TIMESTAMP type is used, what specific TIMESTAMP* type it should map to.',
  ],
  ['TIMESTAMP_TZ_OUTPUT_FORMAT', '', 'STRING', 'Display format for TIMESTAMP_TZ values.'],
  // The login reply announces the same (session-parameters.ts).
  ['TIMEZONE', DEFAULT_TIMEZONE, 'STRING', 'time zone'],
  ['TIME_OUTPUT_FORMAT', 'HH24:MI:SS', 'STRING', 'Display format for times.'],
  [
    'USE_CACHED_RESULT',
    'true',
    'BOOLEAN',
    'If enabled, query results can be reused between successive invocations of the same query.',
  ],
];

const OBJECT_SCOPES = new Set(['WAREHOUSE', 'DATABASE', 'SCHEMA', 'TABLE', 'TASK', 'USER']);

/**
 * SHOW PARAMETERS [LIKE '…'] [IN SESSION | IN ACCOUNT | IN USER [name] | IN <object kind> <name>]:
 * key, value, default, level, description, type. IN SESSION (the default) shows the session's own
 * values with level SESSION; IN ACCOUNT and object scopes show the account defaults.
 */
export function showParameters(ctx: StatementContext, sig: Token[]): ResultSet {
  let like: RegExp | null = null;
  let scope = 'SESSION';
  let k = 0;
  const word = (j: number): string => (sig[j]?.kind === 'word' ? (sig[j]?.text.toUpperCase() ?? '') : '');
  if (word(k) === 'LIKE') {
    const t = sig[k + 1];
    if (!t || (t.kind !== 'string' && t.kind !== 'dollar')) throw syntax(t);
    like = likeRegex(stringValue(t));
    k += 2;
  }
  if (word(k) === 'IN') {
    scope = word(k + 1);
    k += 2;
    if (scope === 'SESSION' || scope === 'ACCOUNT') {
      // nothing follows
    } else if (OBJECT_SCOPES.has(scope)) {
      // The object's name (optional for USER): a possibly qualified identifier.
      while (k < sig.length && (sig[k]?.kind === 'word' || sig[k]?.kind === 'quoted' || sig[k]?.text === '.'))
        k++;
      if (scope !== 'USER' && k === sig.length && sig[k - 1]?.text.toUpperCase() === scope)
        throw syntax(undefined);
    } else throw syntax(sig[k - 1]);
  }
  if (k < sig.length) throw syntax(sig[k]);
  const params = scope === 'SESSION' ? ctx.session.params : new Map<string, string>();
  const keys = new Set([...PARAMETER_DEFAULTS.map((p) => p[0]), ...params.keys()]);
  const rows: Cell[][] = [...keys].sort().map((key) => {
    const def = PARAMETER_DEFAULTS.find((p) => p[0] === key);
    const value = params.get(key);
    return [
      key,
      value ?? def?.[1] ?? '',
      def?.[1] ?? '',
      value !== undefined ? 'SESSION' : '',
      def?.[3] ?? '',
      def?.[2] ?? 'STRING',
    ];
  });
  return result(
    ['key', 'value', 'default', 'level', 'description', 'type'],
    rows.filter((r) => !like || like.test(r[0] ?? '')),
  );
}
