/**
 * A web `Request` for the MCP SDK's web handler that is built only as far as it is read.
 *
 * Why: for a POST whose JSON body the edge has already parsed, the SDK's handler reads the method,
 * the URL, a few headers and (for a stream) the signal, and never the body. Building an undici
 * `Request` for that costs more than all of smcp's own work on a cached call (its constructor
 * validates and copies the URL, the headers and the init). So method, URL, headers and signal are
 * plain values here, and anything else a reader asks for (body, clone(), text(), mode, …) builds
 * the real Request on first use and answers from it, so nothing behaves differently, only later.
 * The object is a `Request` to `instanceof` (its prototype chain is Request's).
 */

/** What the request is made of. */
export interface LazyWebRequestInit {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /**
   * Makes the signal that aborts when the exchange should, on its first read (most exchanges never
   * read it); without one the request's signal never aborts.
   */
  readonly signal?: () => AbortSignal;
}

/** The members read without building the real Request. */
const PLAIN_MEMBERS = new Set(['constructor', 'method', 'url', 'headers', 'signal']);

class LazyWebRequest {
  #real: Request | undefined;
  #signal: AbortSignal | undefined;

  constructor(private readonly init: LazyWebRequestInit) {}

  get method(): string {
    return this.init.method;
  }

  get url(): string {
    return this.init.url;
  }

  get headers(): Headers {
    return this.init.headers;
  }

  get signal(): AbortSignal {
    this.#signal ??= this.init.signal ? this.init.signal() : new AbortController().signal;
    return this.#signal;
  }

  /** The undici Request, built once, on first use of anything else. */
  real(): Request {
    this.#real ??= new Request(this.init.url, {
      method: this.init.method,
      headers: this.init.headers,
      signal: this.signal,
    });
    return this.#real;
  }
}

// Every other member of Request.prototype answers from the real Request.
for (const key of Object.getOwnPropertyNames(Request.prototype)) {
  if (PLAIN_MEMBERS.has(key)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, key);
  if (!descriptor) continue;
  if (descriptor.get) {
    Object.defineProperty(LazyWebRequest.prototype, key, {
      get(this: LazyWebRequest): unknown {
        return Reflect.get(this.real(), key);
      },
      configurable: true,
    });
  } else if (typeof descriptor.value === 'function') {
    Object.defineProperty(LazyWebRequest.prototype, key, {
      value(this: LazyWebRequest, ...args: unknown[]): unknown {
        const real = this.real();
        return (Reflect.get(real, key) as (...a: unknown[]) => unknown).apply(real, args);
      },
      configurable: true,
      writable: true,
    });
  }
}
Object.setPrototypeOf(LazyWebRequest.prototype, Request.prototype);

/** A Request whose method, URL, headers and signal are `init`'s; see the module comment. */
export function lazyWebRequest(init: LazyWebRequestInit): Request {
  return new LazyWebRequest(init) as unknown as Request;
}
