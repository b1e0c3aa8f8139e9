/**
 * The option table's "Limits and safety" group: what a call may do and return, and how much of
 * the daemon one client may hold. Most defaults here are applied by the layer the option feeds
 * (McpSettings, the connection pool, the HTTP server), so those flags stay unset unless given.
 */
import { z } from 'zod';
import { BYTE_SIZE_EXPECTED, parseByteSize } from '../byte-size.js';
import { HTTP_COMMANDS } from './network.js';
import { EXPECTED, schemas } from './spec.js';
import type { OptionSpec } from './spec.js';

/** The commands that run tools, in-process or as a server. */
export const TOOL_COMMANDS = ['start', 'restart', 'stdio', 'tools', 'call', 'config validate'] as const;

const positive = { expected: EXPECTED.positive, schema: schemas.int(1) };

/** A byte size in config.toml: a whole number of bytes or a text such as "10GiB" (kept as given). */
const byteSize = z
  .union([z.int().min(0), z.string()])
  .refine((value) => parseByteSize(value) !== undefined, { error: BYTE_SIZE_EXPECTED });

/** Limit and safety options, in display order. */
export const LIMIT_OPTIONS = [
  {
    key: 'max-rows',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'N',
    default: 1000,
    unsetByDefault: true,
    help: 'rows a call returns at most',
    doc: 'Rows one call returns at most (at most 10000); `fetch_results` continues a truncated result.',
    config: positive,
  },
  {
    key: 'max-bytes',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'N',
    default: 1048576,
    defaultText: '1 MiB',
    unsetByDefault: true,
    help: 'bytes a call returns at most',
    doc:
      'Bytes one call returns at most (at most 10 MiB): for the query tools, the JSON of the whole ' +
      'tool result, text and structured content together. A row wider than that comes back with ' +
      'its longest values cut (listed in `cutValues`).',
    config: positive,
  },
  {
    key: 'timeout',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'S',
    default: 60,
    unsetByDefault: true,
    help: 'statement timeout in seconds when a call names none',
    config: { expected: 'a positive integer (seconds)', schema: schemas.int(1) },
  },
  {
    key: 'max-sessions-per-client',
    type: 'number',
    group: 'Limits and safety',
    commands: HTTP_COMMANDS,
    metavar: 'N',
    default: 256,
    unsetByDefault: true,
    help: 'open MCP sessions and WebSocket connections per client (token, local user or address)',
    doc:
      'Open MCP sessions, SSE streams and WebSocket connections one client may hold (429 above). A ' +
      "client is a bearer token's holders, a local user, or an address.",
    config: positive,
  },
  {
    key: 'max-requests-per-session',
    type: 'number',
    group: 'Limits and safety',
    commands: HTTP_COMMANDS,
    metavar: 'N',
    default: 16,
    unsetByDefault: true,
    help: 'requests in flight per session or connection',
    doc: 'Requests in flight per session or connection (429 or a JSON-RPC error above).',
    config: positive,
  },
  {
    key: 'max-requests-per-address',
    type: 'number',
    group: 'Limits and safety',
    commands: HTTP_COMMANDS,
    metavar: 'N',
    default: 256,
    unsetByDefault: true,
    help: 'sessionless requests (stateless MCP, the tool API) in flight per client',
    config: positive,
  },
  {
    key: 'websocket-buffer-mb',
    type: 'number',
    group: 'Limits and safety',
    commands: HTTP_COMMANDS,
    metavar: 'N',
    default: 64,
    unsetByDefault: true,
    help: 'MiB of answers queued over all WebSockets before the slowest reader is closed',
    doc:
      'MiB of answers waiting to be sent over all WebSocket connections together; past it the ' +
      'connection holding the most is closed with 1013.',
    config: { expected: 'a positive integer (MiB)', schema: schemas.int(1) },
  },
  {
    key: 'cost-guard',
    type: 'string',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'MODE',
    default: 'auto',
    unsetByDefault: true,
    defaultText: 'refuse on a Snowflake account, off on the emulator',
    help: 'a read over its scan budget: off, refuse, or confirm (ask the user through MCP elicitation)',
    doc:
      'What happens to a read (SELECT or WITH through `execute_query`, `query_view`) whose scan, ' +
      "by Snowflake's own estimate (`EXPLAIN USING JSON`, run first on the same database, schema, " +
      'deadline and cancellation; it compiles the statement and uses no warehouse), is over ' +
      '`max-scan-bytes` or over what the client has left of `max-scan-bytes-per-client`: `refuse` ' +
      'answers SCAN_BUDGET_EXCEEDED with the estimate, the budget and the setting to raise; `confirm` ' +
      'asks the user through MCP elicitation (a yes/no form) when the client declared elicitation, and ' +
      'refuses otherwise or when the user declines; `off` runs no estimate. `auto` (the default) is ' +
      '`refuse` on a Snowflake account or when a budget is set, `off` on the emulator, whose data ' +
      'costs nothing.',
    config: {
      expected: 'one of "auto", "off", "refuse", "confirm"',
      schema: z.enum(['auto', 'off', 'refuse', 'confirm']),
    },
  },
  {
    key: 'max-scan-bytes',
    type: 'string',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'SIZE',
    defaultText: '10GiB while the cost guard is on',
    help: "bytes one read may scan by Snowflake's estimate (e.g. 10GB, 500MiB; 0 for no limit)",
    doc:
      "Bytes one read may scan by Snowflake's estimate (GlobalStats.bytesAssigned: the micro-partitions " +
      'left after pruning): bytes, or a size such as `500MiB` or `10GB`; 0 for no per-call budget. ' +
      'Setting it (or the per-client budget) turns the cost guard on for the emulator too. The default, ' +
      '10 GiB, lets filtered and aggregated questions and tables of a few GiB through and stops a full ' +
      'scan of a large fact table before it keeps a warehouse busy for minutes.',
    config: { expected: BYTE_SIZE_EXPECTED, schema: byteSize, example: '"10GiB"' },
  },
  {
    key: 'max-scan-bytes-per-client',
    type: 'string',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'SIZE',
    defaultText: '100GiB while the cost guard is on',
    help: "bytes one client's reads may scan in a rolling hour, by Snowflake's estimates (0 for no limit)",
    doc:
      "Bytes one client's reads may scan within the last hour (a rolling window), by Snowflake's " +
      'estimates of the reads the guard let run; a read that would go past it is refused (or, with ' +
      '`cost-guard confirm`, needs the user). A client is an MCP session or connection, or for ' +
      'sessionless calls its token, local user or address. 0 for no per-client budget. The default, ' +
      "100 GiB an hour, is ten reads at the per-call budget: enough for an analyst's session, not for " +
      'a loop that rescans a large table.',
    config: { expected: BYTE_SIZE_EXPECTED, schema: byteSize, example: '"100GiB"' },
  },
  {
    key: 'metadata-ttl',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'S',
    default: 300,
    unsetByDefault: true,
    help: 'seconds cached metadata (list_*, describe_*, search_objects) stays fresh; 0 for no cache',
    doc:
      'Seconds the metadata cache keeps what SHOW and DESCRIBE answered (databases, schemas, tables, ' +
      'views, columns) before asking Snowflake again; `list_*` and `describe_*` answer from it while ' +
      "fresh and `search_objects` searches it, each answer saying the metadata's age " +
      '(`metadataAgeSeconds`). DDL run through smcp empties it, and `smcp cache refresh` reloads it. ' +
      '0 turns the cache off.',
    config: { expected: 'an integer from 0 to 86400 (seconds)', schema: schemas.int(0, 86_400) },
  },
  {
    key: 'metadata-cache-objects',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'N',
    default: 500000,
    unsetByDefault: true,
    help: 'databases, schemas, tables, views and columns the metadata cache holds at most',
    doc:
      'Objects (databases, schemas, tables, views, columns, each one) the metadata cache holds at ' +
      'most (about 200 bytes each); past it the least recently used listings are dropped. /status ' +
      'shows what it holds.',
    config: { expected: 'an integer from 1000 to 10000000', schema: schemas.int(1000, 10_000_000) },
  },
  {
    key: 'tools',
    type: 'array',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'NAMES',
    defaultText: 'all',
    help: 'serve only these tools (names without prefix, comma- or space-separated)',
    doc:
      'Serve only these tools (names without prefix, comma- or space-separated). Every tools/list ' +
      'costs a model context on each turn: list what its agents use.',
    config: {
      expected: EXPECTED.stringList,
      schema: schemas.stringList,
      example: '["list_databases", "execute_query"]',
    },
  },
  {
    key: 'show-objects',
    type: 'array',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'PATTERNS',
    defaultText: 'all',
    help: 'show only these databases, schemas or objects (db[.schema[.object]], * and ? wildcards)',
    doc:
      'Visibility rules: only these places are shown (patterns `db`, `db.schema` or ' +
      '`db.schema.object`, `*` and `?` as wildcards, unquoted parts upper-cased, "quoted" exact; the ' +
      'databases and schemas leading to them are listed too). Hidden objects never appear in ' +
      'listings, descriptions or resources, and statements naming them are refused. Defence in ' +
      "depth: Snowflake's roles are the real boundary.",
    config: {
      expected: EXPECTED.stringList,
      schema: schemas.stringList,
      example: '["SAMPLE_DB.SALES", "ANALYTICS.*"]',
    },
  },
  {
    key: 'hide-objects',
    type: 'array',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'PATTERNS',
    defaultText: 'none',
    help: 'hide these databases, schemas or objects (same patterns; wins over --show-objects)',
    doc:
      'Visibility rules: these places are hidden (same patterns as `show-objects`; a hidden database ' +
      'hides its schemas and objects) and win over `show-objects`.',
    config: {
      expected: EXPECTED.stringList,
      schema: schemas.stringList,
      example: '["SAMPLE_DB.HR", "*.*.SECRET_*"]',
    },
  },
  {
    key: 'pool-size',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'N',
    default: 8,
    unsetByDefault: true,
    help: 'Snowflake connections open at most',
    config: positive,
  },
  {
    key: 'pool-share',
    type: 'number',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'N',
    defaultText: 'half the pool',
    help: 'Snowflake connections one client may hold at once',
    doc:
      'Snowflake connections one client (an MCP session or connection, or a sessionless caller) may ' +
      "hold at once. Waiting clients get free connections in turn, so one client's long statements " +
      'never take every connection.',
    config: { ...positive, example: '4' },
  },
  {
    key: 'allow-write',
    type: 'boolean',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    default: false,
    help: 'allow DML (INSERT, UPDATE, DELETE, MERGE, ...)',
    doc:
      'Allow DML (INSERT, UPDATE, DELETE, MERGE, ...) through `execute_query`. smcp is read-only ' +
      'otherwise: a SQL classifier allows only SELECT, WITH ... SELECT, SHOW, DESCRIBE and EXPLAIN, ' +
      'one statement at a time.',
    config: { expected: EXPECTED.boolean, schema: schemas.boolean },
  },
  {
    key: 'allow-ddl',
    type: 'boolean',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    default: false,
    help: 'allow DDL too (CREATE, ALTER, DROP); needs --allow-write',
    doc: 'Allow DDL as well (CREATE, ALTER, DROP); needs `--allow-write`.',
    config: { expected: EXPECTED.boolean, schema: schemas.boolean },
  },
  {
    key: 'tool-prefix',
    type: 'string',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'P',
    default: '',
    unsetByDefault: true,
    help: 'prefix for tool names, e.g. snowflake_',
    config: { expected: 'a string', schema: z.string() },
  },
  {
    key: 'format',
    type: 'string',
    group: 'Limits and safety',
    commands: TOOL_COMMANDS,
    metavar: 'F',
    default: 'markdown',
    unsetByDefault: true,
    help: 'default result text: markdown, csv or json',
    config: {
      expected: 'one of "markdown", "csv", "json"',
      schema: z.enum(['markdown', 'csv', 'json']),
    },
  },
] as const satisfies readonly OptionSpec[];
