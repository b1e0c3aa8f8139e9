/** The option table's Network group: where and to whom the daemon serves MCP over HTTP. */
import { EXPECTED, schemas } from './spec.js';
import type { OptionSpec } from './spec.js';

/** The commands that serve (or check serving) MCP over HTTP. */
export const HTTP_COMMANDS = ['start', 'restart', 'config validate'] as const;

/** Network options, in display order. */
export const NETWORK_OPTIONS = [
  {
    key: 'port',
    type: 'number',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'N',
    default: 8000,
    help: 'TCP port for MCP (0 picks a free one)',
    doc: 'TCP port for MCP; 0 picks a free one.',
    config: { expected: 'an integer from 0 to 65535', schema: schemas.int(0, 65535) },
  },
  {
    key: 'host',
    type: 'string',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'ADDR',
    default: '127.0.0.1',
    help: 'bind address; anything but loopback needs a bearer token',
    doc: 'Bind address. Any non-loopback address needs a bearer token.',
    config: { expected: 'a non-empty host name or address', schema: schemas.text },
  },
  {
    key: 'stateless',
    type: 'boolean',
    group: 'Network',
    commands: HTTP_COMMANDS,
    default: false,
    help: 'no MCP sessions (for several instances behind a load balancer)',
    doc:
      'No MCP sessions, for several instances behind a load balancer (on distinct ports, each with ' +
      'its own user directories). Legacy SSE is off.',
    config: { expected: EXPECTED.boolean, schema: schemas.boolean },
  },
  {
    key: 'auth-token-file',
    type: 'string',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'FILE',
    help: 'file holding the bearer token, 0600 (else $SMCP_TOKEN); required for a non-loopback --host',
    doc:
      'File holding the bearer token clients must send (at least 16 characters), compared in ' +
      'constant time; required for a non-loopback `--host`. A typed `--auth-token-file` wins, then ' +
      '`SMCP_TOKEN`, then `auth_token_file` in *config.toml*.',
    config: {
      expected: 'a non-empty file path',
      schema: schemas.text,
      path: true,
      example: '"~/.config/smcp/token"',
    },
    env: [{ name: 'SMCP_TOKEN', holds: 'the token itself', secret: true }],
  },
  {
    key: 'allowed-origin',
    type: 'array',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'ORIGIN',
    help: 'extra allowed Origin header (repeatable)',
    config: {
      expected: EXPECTED.stringList,
      schema: schemas.stringList,
      example: '["https://app.example.com"]',
    },
  },
  {
    key: 'allowed-host',
    type: 'array',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'HOST',
    help: 'extra allowed Host header (repeatable)',
    config: { expected: EXPECTED.stringList, schema: schemas.stringList, example: '["mcp.example.com"]' },
  },
  {
    key: 'cors-origin',
    type: 'array',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'ORIGIN',
    help: 'origin that gets CORS headers (repeatable)',
    doc: 'Origin that gets CORS headers (repeatable); no origin gets them by default.',
    config: {
      expected: EXPECTED.stringList,
      schema: schemas.stringList,
      example: '["https://app.example.com"]',
    },
  },
  {
    key: 'allow-local-users',
    type: 'boolean',
    group: 'Network',
    commands: HTTP_COMMANDS,
    default: false,
    unsetByDefault: true,
    help: "serve other local OS users without a token (default: only smcp's own user and root)",
    doc:
      'Serve other local OS users without a token. By default, on Linux, a loopback connection ' +
      "from any user but smcp's own (and root) is refused with 403; " +
      'where the user cannot be told (other systems, non-loopback peers) a bearer token is required. ' +
      'See `THREAT MODEL`.',
    config: { expected: EXPECTED.boolean, schema: schemas.boolean },
  },
  {
    key: 'trusted-proxy',
    type: 'array',
    group: 'Network',
    commands: HTTP_COMMANDS,
    metavar: 'ADDR',
    help: 'reverse proxy address whose X-Forwarded-For names the client (repeatable)',
    doc:
      'Address of a reverse proxy (repeatable) whose X-Forwarded-For names the client; other ' +
      "peers' X-Forwarded-For is ignored.",
    config: { expected: EXPECTED.stringList, schema: schemas.stringList, example: '["127.0.0.1"]' },
  },
] as const satisfies readonly OptionSpec[];
