/**
 * Verifies the key-pair (SNOWFLAKE_JWT) login token the way Snowflake does: RS256 signature by one
 * of the user's registered public keys, issuer `ACCOUNT.USER.SHA256:<fingerprint>`, subject
 * `ACCOUNT.USER`, and a live lifetime. snowflake-sdk puts iat/exp in milliseconds while the JWT
 * standard uses seconds, so both are accepted.
 */
import { verify } from 'node:crypto';
import type { DirectoryUser } from './users.js';

/** Clock skew tolerated on iat/exp. */
const SKEW_SECONDS = 60;
/** Snowflake refuses JWTs that live longer than an hour. */
const MAX_LIFETIME_SECONDS = 3600;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds since the epoch from a NumericDate that may be in seconds or milliseconds. */
function toSeconds(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value > 1e11 ? value / 1000 : value;
}

/**
 * True when `token` is a valid key-pair login JWT for `user` in `account` (both upper-cased here).
 * Never throws: any malformed input is simply invalid.
 */
export function verifyLoginJwt(
  token: string,
  user: DirectoryUser,
  account: string,
  nowMs = Date.now(),
): boolean {
  if (user.keys.size === 0) return false;
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeSegment(headerPart);
  const payload = decodeSegment(payloadPart);
  if (!header || !payload || header.alg !== 'RS256') return false;

  const subject = `${account.toUpperCase()}.${user.name}`;
  if (typeof payload.sub !== 'string' || payload.sub.toUpperCase() !== subject) return false;
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const prefix = `${subject}.`;
  if (iss.slice(0, prefix.length).toUpperCase() !== prefix) return false;
  const key = user.keys.get(iss.slice(prefix.length));
  if (!key) return false;

  const now = nowMs / 1000;
  const iat = toSeconds(payload.iat);
  const exp = toSeconds(payload.exp);
  if (iat === undefined || exp === undefined) return false;
  if (exp <= now - SKEW_SECONDS || iat > now + SKEW_SECONDS) return false;
  if (exp - iat > MAX_LIFETIME_SECONDS + SKEW_SECONDS) return false;

  try {
    return verify(
      'sha256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      key,
      Buffer.from(signaturePart, 'base64url'),
    );
  } catch {
    return false;
  }
}
