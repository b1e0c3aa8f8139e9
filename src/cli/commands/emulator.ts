/**
 * `smcp emulator`: runs the local Snowflake emulator in the foreground until SIGINT/SIGTERM and
 * prints how to connect to it. DuckDB and the emulator load only when this command runs.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { BoundedFileError, readBoundedFile } from '../../config/bounded-file.js';
import { SmcpError } from '../../errors.js';
import { checkPort, isLoopbackHost, waitForStopSignal } from '../options.js';
import { say, sayJson } from '../output.js';

/** Port the emulator listens on unless told otherwise. */
export const DEFAULT_EMULATOR_PORT = 8090;

interface EmulatorArgs {
  port: number;
  host: string;
  user: string;
  password?: string;
  sampleData: boolean;
  catalogSize: number;
  resultMemoryMb: number;
  resultDiskMb: number;
  resultLifetimeHours: number;
  spillDir?: string;
  rsaPublicKey?: string;
  json: boolean;
}

const MIB = 2 ** 20;

/**
 * The RSA public key (PEM, or the bare base64 Snowflake's RSA_PUBLIC_KEY takes) in `path`, with its
 * fingerprint as the driver puts it in the JWT; USAGE naming --rsa-public-key when unreadable or
 * not an RSA public key.
 */
function readPublicKey(path: string): { pem: string; fingerprint: string } {
  let text: string;
  try {
    text = readBoundedFile(path).trim();
  } catch (err) {
    const why = err instanceof BoundedFileError ? err.reason : String(err);
    throw new SmcpError('USAGE', `--rsa-public-key: file ${path} ${why}`, { field: '--rsa-public-key' });
  }
  if (text.includes('PRIVATE KEY')) {
    throw new SmcpError('USAGE', `--rsa-public-key: file ${path} holds a private key; give its public key`, {
      field: '--rsa-public-key',
    });
  }
  const pem = text.startsWith('-----BEGIN')
    ? text
    : `-----BEGIN PUBLIC KEY-----\n${(text.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n-----END PUBLIC KEY-----\n`;
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    const der = key.export({ format: 'der', type: 'spki' });
    return { pem, fingerprint: `SHA256:${createHash('sha256').update(der).digest('base64')}` };
  } catch {
    throw new SmcpError(
      'USAGE',
      `--rsa-public-key: file ${path} holds no RSA public key (PEM or base64 DER)`,
      {
        field: '--rsa-public-key',
      },
    );
  }
}

/** A positive number from a flag, or USAGE naming the flag. */
function positive(value: unknown, flag: string): number {
  const n = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) {
    throw new SmcpError('USAGE', `${flag} must be a positive number, got ${String(value)}`, { field: flag });
  }
  return n;
}

function builder(yargs: Argv): Argv<EmulatorArgs> {
  return yargs
    .option('port', {
      type: 'number',
      default: DEFAULT_EMULATOR_PORT,
      describe: 'TCP port (0 picks a free one)',
    })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'loopback address to bind' })
    .option('user', { type: 'string', default: 'SMCP', describe: 'login name of the emulated user' })
    .option('password', {
      type: 'string',
      describe: 'password of the emulated user (default: $SMCP_EMULATOR_PASSWORD, else a random one)',
    })
    .option('sample-data', { type: 'boolean', default: true, describe: 'create the sample databases' })
    .option('catalog-size', {
      type: 'number',
      default: 0,
      describe: 'tables of a generated catalog (GEN_DB_01, …; metadata only) for discovery at scale',
    })
    .option('result-memory-mb', {
      type: 'number',
      default: 256,
      describe: 'MiB of result rows kept in memory before they spill to disk',
    })
    .option('result-disk-mb', {
      type: 'number',
      default: 4096,
      describe: 'MiB of result rows kept on disk before the least recently used results are evicted',
    })
    .option('result-lifetime-hours', {
      type: 'number',
      default: 24,
      describe: 'hours a result stays readable by query id after its statement ended',
    })
    .option('spill-dir', {
      type: 'string',
      describe: 'directory for the private spill directory (default: the system temp dir)',
    })
    .option('rsa-public-key', {
      type: 'string',
      describe: "file with the user's RSA public key (PEM or base64) for key-pair (SNOWFLAKE_JWT) login",
    })
    .option('json', { type: 'boolean', default: false, describe: 'print the connection details as JSON' })
    .example(
      '$0 emulator --port 8090',
      'serve the Snowflake wire protocol on 127.0.0.1:8090',
    ) as unknown as Argv<EmulatorArgs>;
}

async function handler(args: ArgumentsCamelCase<EmulatorArgs>): Promise<void> {
  const port = checkPort(args.port);
  if (!isLoopbackHost(args.host)) {
    throw new SmcpError(
      'USAGE',
      `--host must be a loopback address (the emulator has no TLS), got ${args.host}`,
      {
        field: '--host',
      },
    );
  }
  const password =
    args.password ?? process.env.SMCP_EMULATOR_PASSWORD ?? randomBytes(12).toString('base64url');
  const results = {
    resultMemoryBytes: Math.round(positive(args.resultMemoryMb, '--result-memory-mb') * MIB),
    resultDiskBytes: Math.round(positive(args.resultDiskMb, '--result-disk-mb') * MIB),
    resultLifetimeMs: Math.round(positive(args.resultLifetimeHours, '--result-lifetime-hours') * 3600_000),
    ...(args.spillDir !== undefined ? { spillParentDir: args.spillDir } : {}),
  };
  const catalogSize = args.catalogSize;
  if (!Number.isInteger(catalogSize) || catalogSize < 0 || catalogSize > 1_000_000) {
    throw new SmcpError(
      'USAGE',
      `--catalog-size must be a whole number from 0 to 1000000, got ${String(catalogSize)}`,
      {
        field: '--catalog-size',
      },
    );
  }
  const key = args.rsaPublicKey !== undefined ? readPublicKey(args.rsaPublicKey) : undefined;
  const { startEmulator } = await import('../../emulator/index.js');
  const emulator = await startEmulator({
    host: args.host,
    port,
    users: [
      {
        name: args.user.toUpperCase(),
        password,
        roles: ['SYSADMIN', 'PUBLIC'],
        defaultRole: 'SYSADMIN',
        ...(key ? { rsaPublicKey: key.pem } : {}),
      },
    ],
    sampleData: args.sampleData,
    ...(catalogSize > 0 ? { catalogSize } : {}),
    ...results,
  });
  const details = {
    url: emulator.url,
    account: emulator.account,
    user: args.user.toUpperCase(),
    password,
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    ...(key ? { rsaPublicKeyFp: key.fingerprint } : {}),
  };
  if (args.json) {
    sayJson(details);
  } else {
    say(`Snowflake emulator listening on ${emulator.url}`);
    say(`  account  ${details.account}`);
    say(`  user     ${details.user}`);
    say(`  password ${password}`);
    if (key) say(`  key-pair ${key.fingerprint} (authenticator SNOWFLAKE_JWT)`);
    say('');
    say('A connection for ~/.snowflake/connections.toml:');
    say('  [local]');
    say(`  account = "${details.account}"`);
    say(`  user = "${details.user}"`);
    say(`  password = "${password}"`);
    say(`  host = "${details.host}"`);
    say(`  port = ${details.port}`);
    say('  protocol = "http"');
    say('  warehouse = "COMPUTE_WH"');
    say('');
    say('Press Ctrl-C to stop.');
  }
  await waitForStopSignal();
  await emulator.close();
}

/** The `emulator` command module. */
export const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: 'emulator',
  describe: 'Run the local Snowflake emulator (Snowflake REST protocol on embedded DuckDB)',
  builder,
  handler,
};
