/**
 * Users' key-pair credentials in SQL: ALTER USER … SET RSA_PUBLIC_KEY = '…' (and RSA_PUBLIC_KEY_2),
 * ALTER USER … UNSET RSA_PUBLIC_KEY, and DESC USER with RSA_PUBLIC_KEY_FP. The users themselves
 * belong to the wire server; the engine reaches them through its host.
 */
import type { EngineHost, ResultSet, UserInfo } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { StaticResultSet, statusResult, textColumn } from './result-set.js';
import { syntaxError, unsupported } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { identName, isSignificant, stringValue, type Token } from './tokenizer.js';

/** Roles that may change any user's credentials (a user may always change its own keys). */
const USER_ADMIN_ROLES = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN']);
const KEY_SLOTS: Readonly<Record<string, 1 | 2>> = { RSA_PUBLIC_KEY: 1, RSA_PUBLIC_KEY_2: 2 };

/** True when `words` are ALTER USER or DESC USER. */
export function isUserCommand(words: readonly string[]): boolean {
  return (
    (words[0] === 'ALTER' && words[1] === 'USER') ||
    ((words[0] === 'DESC' || words[0] === 'DESCRIBE') && words[1] === 'USER')
  );
}

function userNotFound(name: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '002003',
    '02000',
    `SQL compilation error:\nUser '${name}' does not exist or not authorized.`,
  );
}

function word(t: Token | undefined): string {
  return t?.kind === 'word' ? t.text.toUpperCase() : '';
}

/** DESC USER: Snowflake's property/value/default/description rows ("null" for what is unset). */
function describeUser(user: UserInfo): ResultSet {
  const show = (v: string | null): string => v ?? 'null';
  const rows: [string, string, string, string][] = [
    ['NAME', user.name, 'null', 'Name'],
    ['LOGIN_NAME', user.name, 'null', 'Login name of the user'],
    ['DISPLAY_NAME', user.name, 'null', 'Display name of the associated object'],
    ['DISABLED', String(user.disabled), 'false', 'Whether the user is disabled'],
    ['DEFAULT_WAREHOUSE', show(user.defaultWarehouse), 'null', 'Default warehouse for this user'],
    [
      'DEFAULT_NAMESPACE',
      show(user.defaultNamespace),
      'null',
      'Default database namespace prefix for this user',
    ],
    ['DEFAULT_ROLE', user.defaultRole, 'null', 'Primary principal of user session will be set to this role'],
    ['RSA_PUBLIC_KEY', show(user.rsaPublicKey), 'null', 'RSA public key of the user'],
    ['RSA_PUBLIC_KEY_FP', show(user.rsaPublicKeyFp), 'null', "Fingerprint of user's RSA public key."],
    ['RSA_PUBLIC_KEY_2', show(user.rsaPublicKey2), 'null', 'Second RSA public key of the user'],
    [
      'RSA_PUBLIC_KEY_2_FP',
      show(user.rsaPublicKey2Fp),
      'null',
      "Fingerprint of user's second RSA public key.",
    ],
  ];
  return new StaticResultSet(
    ['property', 'value', 'default', 'description'].map(textColumn),
    rows,
    STATEMENT_TYPE.DESCRIBE,
  );
}

/**
 * Runs ALTER USER (RSA keys) or DESC USER; null for other statements. Other ALTER USER properties
 * fail with 0A000 naming them.
 */
export function runUserCommand(
  ctx: StatementContext,
  tokens: Token[],
  words: readonly string[],
  host: EngineHost | null,
): ResultSet | null {
  if (!isUserCommand(words)) return null;
  const sig = tokens.filter(isSignificant);
  let i = 2;
  const ifExists = word(sig[i]) === 'IF' && word(sig[i + 1]) === 'EXISTS';
  if (ifExists) i += 2;
  const nameToken = sig[i];
  if (
    !nameToken ||
    (nameToken.kind !== 'word' && nameToken.kind !== 'quoted' && nameToken.kind !== 'string')
  ) {
    throw syntaxError(1, nameToken?.start ?? 0, nameToken?.text ?? '<EOF>');
  }
  const name = identName(nameToken);
  if (!host) throw unsupported(`${words[0]} USER outside the wire server`);
  const user = host.user(name);
  if (words[0] !== 'ALTER') {
    if (!user) throw userNotFound(name);
    return describeUser(user);
  }
  if (!user) {
    if (ifExists) return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
    throw userNotFound(name);
  }
  if (user.name !== ctx.session.user.toUpperCase() && !USER_ADMIN_ROLES.has(ctx.session.role)) {
    throw new EmulatorSqlError(
      '003001',
      '42501',
      `SQL access control error:\nInsufficient privileges to operate on user '${user.name}'`,
    );
  }
  const action = word(sig[i + 1]);
  i += 2;
  const changes: [1 | 2, string | null][] = [];
  if (action === 'SET') {
    while (i < sig.length) {
      const property = word(sig[i]);
      const slot = KEY_SLOTS[property];
      if (!slot) throw unsupported(`ALTER USER … SET ${property || sig[i].text}`);
      const value = sig[i + 2];
      if (sig[i + 1]?.text !== '=' || !value || (value.kind !== 'string' && value.kind !== 'dollar')) {
        throw syntaxError(1, (value ?? sig[i + 1] ?? sig[i]).start, (value ?? sig[i + 1] ?? sig[i]).text);
      }
      changes.push([slot, stringValue(value)]);
      i += 3;
      if (sig[i]?.text === ',') i++;
    }
  } else if (action === 'UNSET') {
    while (i < sig.length) {
      const property = word(sig[i]);
      const slot = KEY_SLOTS[property];
      if (!slot) throw unsupported(`ALTER USER … UNSET ${property || sig[i].text}`);
      changes.push([slot, null]);
      i++;
      if (sig[i]?.text === ',') i++;
    }
  } else {
    throw unsupported(`ALTER USER … ${action || (sig[i - 1]?.text ?? '')}`.trim());
  }
  if (changes.length === 0) throw syntaxError(1, sig.at(-1)?.start ?? 0, '<EOF>');
  // Validate every key before changing any, so a bad second key leaves the first untouched.
  for (const [slot, key] of changes) host.setUserKey(user.name, slot, key, true);
  for (const [slot, key] of changes) host.setUserKey(user.name, slot, key);
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
}
