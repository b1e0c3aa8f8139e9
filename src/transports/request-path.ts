/**
 * Reads the path and query of a request target without ever throwing: request lines come from
 * anyone who can connect, and `new URL('//[', base)` throws (one such upgrade request used to stop
 * the whole daemon). Anything unparsable becomes a path no route serves.
 */

/** The path and query of a request target such as `/messages?sessionId=x`. */
export interface RequestTarget {
  /** The path, `''` when the target is not an origin-form path (no route matches it). */
  readonly path: string;
  /** The query parameters; empty when there are none or they cannot be read. */
  readonly query: URLSearchParams;
}

const EMPTY = Object.freeze({ path: '', query: new URLSearchParams() }) as RequestTarget;

/**
 * Splits `rawUrl` (the request line's target) into path and query. Only origin-form targets
 * (`/…`) have a path; absolute or asterisk forms, and anything with characters a request line
 * may not carry, give `''`. Never throws.
 */
export function requestTarget(rawUrl: string | undefined): RequestTarget {
  if (!rawUrl || rawUrl[0] !== '/') return EMPTY;
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (hasControlOrSpace(path)) return EMPTY;
  if (q < 0) return { path, query: new URLSearchParams() };
  try {
    return { path, query: new URLSearchParams(rawUrl.slice(q + 1)) };
  } catch {
    return { path, query: new URLSearchParams() };
  }
}

/** Control characters and spaces never belong in a request target. */
function hasControlOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}
