/**
 * Checks the credentials of a login request (`body.data` of /session/v1/login-request) against the
 * user directory, per authenticator, and answers with Snowflake's error code when they are wrong.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { str } from './http-io.js';
import { verifyLoginJwt } from './jwt.js';
import type { DirectoryUser, UserDirectory } from './users.js';
import { GS, MESSAGES } from './wire-errors.js';

/** The outcome of a credential check. */
export type AuthOutcome = { ok: true; user: DirectoryUser } | { ok: false; code: string; message: string };

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function holdsToken(list: readonly string[] | undefined, token: string | undefined): boolean {
  if (!token || !list) return false;
  let found = false;
  for (const candidate of list) if (sameSecret(token, candidate)) found = true;
  return found;
}

/** The user owning `token` in one of its token lists, when the client sent no login name. */
function findTokenOwner(
  users: UserDirectory,
  token: string | undefined,
  pick: (user: DirectoryUser) => readonly string[] | undefined,
): DirectoryUser | undefined {
  for (const user of users.all()) if (holdsToken(pick(user), token)) return user;
  return undefined;
}

/** The account part of ACCOUNT_NAME (`org-acct.region…` → `ORG-ACCT`). */
export function accountOf(name: string | undefined): string {
  return (name ?? '').split('.')[0].trim().toUpperCase();
}

function fail(code: string, message: string): AuthOutcome {
  return { ok: false, code, message };
}

/**
 * Authenticates `data` for `account`. Supported: SNOWFLAKE and USERNAME_PASSWORD_MFA (password, or
 * a programmatic access token in its place, as Snowflake allows), SNOWFLAKE_JWT, OAUTH and
 * PROGRAMMATIC_ACCESS_TOKEN. A disabled user is refused only after its credentials checked out.
 */
export function authenticate(
  data: Record<string, unknown>,
  users: UserDirectory,
  account: string,
): AuthOutcome {
  const authenticator = (str(data, 'AUTHENTICATOR') ?? 'SNOWFLAKE').toUpperCase();
  const loginName = str(data, 'LOGIN_NAME');
  const token = str(data, 'TOKEN');
  const wrongAccount = accountOf(str(data, 'ACCOUNT_NAME')) !== account.toUpperCase();

  let outcome: AuthOutcome;
  switch (authenticator) {
    case 'SNOWFLAKE':
    case 'USERNAME_PASSWORD_MFA': {
      const user = users.get(loginName);
      const password = str(data, 'PASSWORD');
      const valid =
        !wrongAccount &&
        user !== undefined &&
        password !== undefined &&
        ((user.spec.password !== undefined && sameSecret(password, user.spec.password)) ||
          holdsToken(user.spec.programmaticAccessTokens, password));
      outcome = valid
        ? { ok: true, user }
        : fail(GS.INCORRECT_USERNAME_PASSWORD, MESSAGES.incorrectCredentials);
      break;
    }
    case 'SNOWFLAKE_JWT': {
      const user = users.get(loginName);
      const valid =
        !wrongAccount && user !== undefined && token !== undefined && verifyLoginJwt(token, user, account);
      outcome = valid ? { ok: true, user } : fail(GS.JWT_INVALID, MESSAGES.jwtInvalid);
      break;
    }
    case 'OAUTH': {
      const user = loginName
        ? users.get(loginName)
        : findTokenOwner(users, token, (u) => u.spec.oauthAccessTokens);
      const valid = !wrongAccount && user !== undefined && holdsToken(user.spec.oauthAccessTokens, token);
      outcome = valid ? { ok: true, user } : fail(GS.OAUTH_TOKEN_INVALID, MESSAGES.oauthInvalid);
      break;
    }
    case 'PROGRAMMATIC_ACCESS_TOKEN': {
      const user = loginName
        ? users.get(loginName)
        : findTokenOwner(users, token, (u) => u.spec.programmaticAccessTokens);
      const valid =
        !wrongAccount && user !== undefined && holdsToken(user.spec.programmaticAccessTokens, token);
      outcome = valid ? { ok: true, user } : fail(GS.PAT_INVALID, MESSAGES.patInvalid);
      break;
    }
    default:
      outcome = fail(
        GS.INCORRECT_USERNAME_PASSWORD,
        `Authenticator ${authenticator} is not supported by the smcp emulator; use SNOWFLAKE, ` +
          'SNOWFLAKE_JWT, OAUTH or PROGRAMMATIC_ACCESS_TOKEN.',
      );
  }
  if (outcome.ok && outcome.user.spec.disabled) return fail(GS.USER_DISABLED, MESSAGES.userDisabled);
  // Real Snowflake never sees another account's login; a local developer deserves the hint.
  if (!outcome.ok && wrongAccount) {
    return fail(outcome.code, `${outcome.message} This emulator serves account ${account.toUpperCase()}.`);
  }
  return outcome;
}
