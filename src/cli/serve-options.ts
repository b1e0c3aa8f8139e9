/**
 * Converts the options shared by the commands that serve MCP or run tools (declared in the option
 * table: result limits, write switches, tool naming, and for the network transports bind address,
 * token and origin allow-lists) into validated settings; bad values name their flag.
 */
import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import { BYTE_SIZE_EXPECTED, parseByteSize } from '../config/byte-size.js';
import { numberDefault } from '../config/options/table.js';
import { SmcpError } from '../errors.js';
import { COST_GUARD_MODES, defineMcpSettings } from '../mcp/settings.js';
import { buildSqlTools, checkToolNames } from '../mcp/tool-registry.js';
import { visibilityOf } from '../mcp/visibility-policy.js';
import { loadSmcpConfig } from './config-defaults.js';
import type { SmcpConfig } from '../config/smcp-config.js';
import { displayPath } from '../config/settings-source.js';
import type { McpSettings } from '../mcp/settings.js';
import type { RuntimeHttpOptions } from '../daemon/runtime.js';
import type { ClientOptions } from '../snowflake/client.js';
import { givenOptionNames } from './argv.js';
import type { OptionArgs } from './option-flags.js';
import { checkPort } from './options.js';

/** Parsed limit and safety flags of the commands that run tools (typed from the option table). */
export type McpFlagArgs = OptionArgs<'tools', 'Limits and safety'>;

/** Parsed network, limit and safety flags of the commands that serve HTTP. */
export type HttpFlagArgs = OptionArgs<'start', 'Network' | 'Limits and safety'>;

/**
 * Validated MCP settings from the flags (each bad value named by its flag) and the SQL tools of
 * `config` (default: config.toml as this command read it; a reload passes the file read again).
 */
export function mcpSettingsFrom(args: McpFlagArgs, config: SmcpConfig = loadSmcpConfig()): McpSettings {
  const input: Record<string, unknown> = { allowWrite: args.allowWrite, allowDdl: args.allowDdl };
  if (args.allowDdl && !args.allowWrite) {
    throw new SmcpError('USAGE', '--allow-ddl needs --allow-write as well', { field: '--allow-ddl' });
  }
  const map: [keyof McpFlagArgs, string, string][] = [
    ['maxRows', 'maxRows', '--max-rows'],
    ['maxBytes', 'maxBytes', '--max-bytes'],
    ['timeout', 'defaultTimeoutSeconds', '--timeout'],
    ['toolPrefix', 'toolPrefix', '--tool-prefix'],
    ['format', 'defaultFormat', '--format'],
    ['tools', 'tools', '--tools'],
    ['showObjects', 'showObjects', '--show-objects'],
    ['hideObjects', 'hideObjects', '--hide-objects'],
    ['metadataTtl', 'metadataTtlSeconds', '--metadata-ttl'],
    ['metadataCacheObjects', 'metadataMaxObjects', '--metadata-cache-objects'],
  ];
  for (const [arg, key] of map) if (args[arg] !== undefined) input[key] = args[arg];
  Object.assign(input, costGuardInput(args));
  if (args.tools?.length) {
    input.tools = args.tools
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean);
    try {
      checkToolNames(input.tools as string[]);
    } catch (err) {
      throw new SmcpError('USAGE', `--tools: ${(err as Error).message}`, { field: '--tools' });
    }
  }
  if (config.sqlTools.length > 0) input.sqlTools = config.sqlTools;
  try {
    const settings = defineMcpSettings(input);
    // Malformed visibility patterns stop the command now: CONFIG_INVALID naming the option.
    visibilityOf(settings);
    // A SQL tool that cannot be served stops the command now (exit 2), not the daemon later.
    try {
      buildSqlTools(settings);
    } catch (err) {
      if (err instanceof SmcpError)
        throw new SmcpError(err.code, `${displayPath(config.file)} ${err.message}`, {
          ...err.details,
          file: config.file,
        });
      throw err;
    }
    return settings;
  } catch (err) {
    const field = err instanceof SmcpError ? err.details.field : undefined;
    const flag = map.find(([, key]) => key === field)?.[2];
    if (flag && err instanceof SmcpError) {
      throw new SmcpError('USAGE', `${flag}: ${err.message.replace(/^invalid MCP setting \S+: /, '')}`, {
        field: flag,
      });
    }
    throw err;
  }
}

/** The cost guard's settings from the flags (sizes as bytes; each bad value named by its flag). */
function costGuardInput(args: McpFlagArgs): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (args.costGuard !== undefined) {
    if (!(COST_GUARD_MODES as readonly string[]).includes(args.costGuard)) {
      throw new SmcpError(
        'USAGE',
        `--cost-guard must be one of ${COST_GUARD_MODES.join(', ')}, got ${JSON.stringify(args.costGuard)}`,
        { field: '--cost-guard' },
      );
    }
    input.costGuard = args.costGuard;
  }
  const sizes: [string | number | undefined, string, string][] = [
    [args.maxScanBytes, 'maxScanBytes', '--max-scan-bytes'],
    [args.maxScanBytesPerClient, 'maxScanBytesPerClient', '--max-scan-bytes-per-client'],
  ];
  for (const [value, key, flag] of sizes) {
    if (value === undefined) continue;
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      throw new SmcpError('USAGE', `${flag} must be ${BYTE_SIZE_EXPECTED}, got ${JSON.stringify(value)}`, {
        field: flag,
      });
    }
    input[key] = bytes;
  }
  return input;
}

/** Reads the bearer token from --auth-token-file or $SMCP_TOKEN (flags never carry secrets). */
export function readToken(args: HttpFlagArgs, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Precedence flag > environment > config.toml: a file named only in config.toml yields to SMCP_TOKEN.
  const typed = givenOptionNames().has('auth-token-file');
  if (args.authTokenFile && (typed || !env.SMCP_TOKEN?.trim())) {
    let token: string;
    try {
      token = readBoundedFile(args.authTokenFile).trim();
    } catch (err) {
      const reason = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
      throw new SmcpError('CONFIG_INVALID', `--auth-token-file ${args.authTokenFile} ${reason}`, {
        file: args.authTokenFile,
        field: '--auth-token-file',
      });
    }
    if (token.length < 16) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `the token in ${args.authTokenFile} is shorter than 16 characters`,
        {
          file: args.authTokenFile,
          field: '--auth-token-file',
        },
      );
    }
    return token;
  }
  const fromEnv = env.SMCP_TOKEN?.trim();
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv.length < 16) {
    throw new SmcpError('CONFIG_INVALID', 'SMCP_TOKEN is shorter than 16 characters', {
      field: 'SMCP_TOKEN',
    });
  }
  return fromEnv || undefined;
}

/** A positive whole number from `flag`, or USAGE naming the flag. */
function positiveFlag(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new SmcpError('USAGE', `${flag} must be a positive integer, got ${String(value)}`, { field: flag });
  }
  return value;
}

/**
 * Pool options from the flags (each bad value named by its flag). A process that serves a single
 * client (`smcp stdio`, `smcp call` in-process) gives it the whole pool unless told otherwise.
 */
export function poolOptionsFrom(args: McpFlagArgs, options: { singleClient?: boolean } = {}): ClientOptions {
  const max = positiveFlag(args.poolSize, '--pool-size');
  const size = max ?? numberDefault('pool-size');
  const share = positiveFlag(args.poolShare, '--pool-share') ?? (options.singleClient ? size : undefined);
  if (share !== undefined && share > size) {
    throw new SmcpError('USAGE', `--pool-share (${share}) cannot exceed --pool-size (${size})`, {
      field: '--pool-share',
    });
  }
  return { ...(max !== undefined ? { max } : {}), ...(share !== undefined ? { maxPerClient: share } : {}) };
}

/** HTTP server options from the flags. */
export function httpOptionsFrom(args: HttpFlagArgs): RuntimeHttpOptions {
  const token = readToken(args);
  const sessions = positiveFlag(args.maxSessionsPerClient, '--max-sessions-per-client');
  const perSession = positiveFlag(args.maxRequestsPerSession, '--max-requests-per-session');
  const perAddress = positiveFlag(args.maxRequestsPerAddress, '--max-requests-per-address');
  const bufferMb = positiveFlag(args.websocketBufferMb, '--websocket-buffer-mb');
  return {
    host: args.host,
    port: checkPort(args.port),
    stateless: args.stateless,
    ...(token ? { token } : {}),
    ...(args.allowedOrigin?.length ? { allowedOrigins: args.allowedOrigin } : {}),
    ...(args.allowedHost?.length ? { allowedHosts: args.allowedHost } : {}),
    ...(args.corsOrigin?.length ? { corsOrigins: args.corsOrigin } : {}),
    ...(args.allowLocalUsers ? { allowLocalUsers: true } : {}),
    ...(args.trustedProxy?.length ? { trustedProxies: args.trustedProxy } : {}),
    ...(sessions !== undefined ? { maxSessionsPerClient: sessions } : {}),
    ...(perSession !== undefined ? { maxConcurrentPerClient: perSession } : {}),
    ...(perAddress !== undefined ? { maxConcurrentPerAddress: perAddress } : {}),
    ...(bufferMb !== undefined ? { webSocket: { maxBufferedBytesTotal: bufferMb * 1024 * 1024 } } : {}),
  };
}
