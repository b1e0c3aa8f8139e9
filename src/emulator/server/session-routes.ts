/**
 * Session endpoints: login, session-token renewal, heartbeat, logout and the telemetry sink.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './authenticate.js';
import { bearerToken, obj, sendJson, str } from './http-io.js';
import { paramString, wireParameters } from './session-parameters.js';
import { foldIdentifier } from './users.js';
import { OK_EMPTY, requireSession, type RequestTarget, type WireContext } from './wire-context.js';
import { GS, failure } from './wire-errors.js';

/** Reported as serverVersion at login. */
const SERVER_VERSION = '9.30.0';

function folded(value: string | null | undefined): string | null {
  return value ? foldIdentifier(value) : null;
}

/** POST /session/v1/login-request: checks credentials and opens a session. */
export function login(
  ctx: WireContext,
  target: RequestTarget,
  body: Record<string, unknown>,
  res: ServerResponse,
): void {
  const data = obj(body.data);
  if (!data) {
    sendJson(res, 200, failure(GS.BAD_REQUEST, 'Login request has no data object.'));
    return;
  }
  const outcome = authenticate(data, ctx.users, ctx.settings.account);
  if (!outcome.ok) {
    ctx.counters.failedLogins++;
    sendJson(res, 200, failure(outcome.code, outcome.message));
    return;
  }
  const { user } = outcome;
  const role = folded(target.query.get('roleName')) ?? user.defaultRole;
  if (!user.grantedRoles.includes(role)) {
    ctx.counters.failedLogins++;
    sendJson(
      res,
      200,
      failure(
        GS.ROLE_NOT_GRANTED,
        `Role '${role}' specified in the connect string is not granted to this user. Contact your local ` +
          'system administrator, or attempt to login with another role, e.g. PUBLIC.',
      ),
    );
    return;
  }

  const params = new Map<string, string>();
  const requested = obj(data.SESSION_PARAMETERS);
  for (const [name, value] of Object.entries(requested ?? {})) {
    const text = paramString(value);
    if (text !== undefined) params.set(name.toUpperCase(), text);
  }
  const record = ctx.sessions.create(
    {
      user: user.name,
      grantedRoles: user.grantedRoles,
      role,
      warehouse: folded(target.query.get('warehouse')) ?? folded(user.spec.defaultWarehouse),
      database: folded(target.query.get('databaseName')) ?? folded(user.spec.defaultDatabase),
      schema: folded(target.query.get('schemaName')) ?? folded(user.spec.defaultSchema),
      params,
    },
    str(data, 'CLIENT_APP_ID') ?? '',
  );
  ctx.counters.logins++;
  const { session } = record;
  sendJson(res, 200, {
    success: true,
    code: null,
    message: null,
    data: {
      token: record.sessionToken,
      masterToken: record.masterToken,
      validityInSeconds: Math.floor(ctx.settings.sessionValidityMs / 1000),
      masterValidityInSeconds: Math.floor(ctx.settings.masterValidityMs / 1000),
      sessionId: record.numericId,
      displayUserName: user.name,
      serverVersion: SERVER_VERSION,
      firstLogin: false,
      remMeToken: null,
      remMeValidityInSeconds: 0,
      healthCheckInterval: 45,
      newClientForUpgrade: null,
      idToken: null,
      idTokenValidityInSeconds: 0,
      mfaToken: null,
      mfaTokenValidityInSeconds: 0,
      responseData: null,
      parameters: wireParameters(session),
      sessionInfo: {
        databaseName: session.database,
        schemaName: session.schema,
        warehouseName: session.warehouse,
        roleName: session.role,
      },
    },
  });
}

/** POST /session/token-request: renews the session token with the master token (RENEW only). */
export function renewToken(
  ctx: WireContext,
  req: IncomingMessage,
  body: Record<string, unknown>,
  res: ServerResponse,
): void {
  const requestType = str(body, 'requestType');
  if (requestType !== 'RENEW') {
    sendJson(
      res,
      200,
      failure(GS.BAD_REQUEST, `Unsupported token request type: ${requestType ?? '(none)'}.`),
    );
    return;
  }
  const renewed = ctx.sessions.renew(bearerToken(req), str(body, 'oldSessionToken'));
  if (!('session' in renewed)) {
    sendJson(res, 200, failure(renewed.code, renewed.message));
    return;
  }
  const now = Date.now();
  sendJson(res, 200, {
    success: true,
    code: null,
    message: null,
    data: {
      sessionToken: renewed.sessionToken,
      validityInSecondsST: Math.floor((renewed.sessionExpiresAt - now) / 1000),
      masterToken: renewed.masterToken,
      validityInSecondsMT: Math.max(1, Math.floor((renewed.masterExpiresAt - now) / 1000)),
      sessionId: renewed.numericId,
    },
  });
}

/** POST /session/heartbeat: proves the token is good and keeps the session (master token) alive. */
export function heartbeat(ctx: WireContext, req: IncomingMessage, res: ServerResponse): void {
  const record = requireSession(ctx, req, res);
  if (!record) return;
  ctx.sessions.keepAlive(record);
  sendJson(res, 200, OK_EMPTY);
}

/** POST /session?delete=true: ends the session and frees its results. */
export function logout(ctx: WireContext, req: IncomingMessage, res: ServerResponse): void {
  const record = requireSession(ctx, req, res);
  if (!record) return;
  ctx.queries.endSession(record.session.id);
  ctx.sessions.delete(record);
  sendJson(res, 200, OK_EMPTY);
}

/** POST /telemetry/send: accepted and dropped; the driver sends telemetry to its accessUrl. */
export function telemetry(res: ServerResponse): void {
  sendJson(res, 200, { success: true, code: null, message: null, data: 'Log Received' });
}
