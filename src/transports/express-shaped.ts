/**
 * Request and response classes for `http.createServer` whose objects are born with an express
 * app's request and response prototypes.
 *
 * Why: express's `app.handle` swaps the prototype of every request and response it is given
 * (`Object.setPrototypeOf(req, app.request)`). Swapping the prototype of a live object gives it a
 * new hidden class, so Node's HTTP code, express's router and the MCP SDK's adapter then meet
 * objects of two shapes and run slower paths on every request. Here the app's prototypes are the
 * prototypes of the classes Node builds requests and responses from (express's documented
 * `app.request` / `app.response` extension points), so express's swap changes nothing and every
 * object keeps one shape. Express still serves every request through its one chain; nothing is
 * skipped.
 */
import { IncomingMessage, ServerResponse } from 'node:http';

/** The part of an express app this module reads and sets: its request and response prototypes. */
export interface ExpressPrototypes {
  request: object;
  response: object;
}

/** The classes for `createServer({ IncomingMessage, ServerResponse })` and how to aim them. */
export interface ExpressShapedClasses {
  readonly IncomingMessage: typeof IncomingMessage;
  readonly ServerResponse: typeof ServerResponse;
  /**
   * Makes the classes' prototypes the app's request and response prototypes (same methods, same
   * chain: express's, then Node's). Until it is called, requests and responses are plain Node
   * objects and express swaps their prototypes as usual.
   */
  adopt(app: ExpressPrototypes): void;
}

/** Puts `expressProto`'s chain and own properties on `classProto`, which takes its place in the app. */
function takeOver(classProto: object, expressProto: object): void {
  Object.setPrototypeOf(classProto, Object.getPrototypeOf(expressProto) as object | null);
  Object.defineProperties(classProto, Object.getOwnPropertyDescriptors(expressProto));
}

/** Creates one pair of classes for one server; see {@link ExpressShapedClasses}. */
export function expressShapedClasses(): ExpressShapedClasses {
  class ExpressRequest extends IncomingMessage {}
  class ExpressResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}
  return {
    IncomingMessage: ExpressRequest,
    ServerResponse: ExpressResponse,
    adopt: (app) => {
      // An express app's prototypes derive from Node's; anything else is left as it is.
      if (!(app.request instanceof IncomingMessage) || !(app.response instanceof ServerResponse)) return;
      takeOver(ExpressRequest.prototype, app.request);
      takeOver(ExpressResponse.prototype, app.response);
      app.request = ExpressRequest.prototype;
      app.response = ExpressResponse.prototype;
    },
  };
}
