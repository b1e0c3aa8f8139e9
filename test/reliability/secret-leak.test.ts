/**
 * Secrets never leak: an isolated HOME whose connections.toml holds a password, a wrong password,
 * an encrypted private key's passphrase, a programmatic access token and an OAuth token (for users
 * of an emulator started here), plus an SMCP_TOKEN bearer token. The real daemon runs in the
 * background at --log-level debug and is exercised through the CLI and HTTP (calls that succeed
 * and fail, AUTH_FAILED, bad SQL, 401s, status, config, logs, drain, stop). Then everything that
 * was written — every file under HOME (the daemon's cwd too), every stdout/stderr, every HTTP body
 * — is scanned for every secret, plain and encoded. Any hit fails with its place and context.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { SMCP_BIN, isolatedHome, runProcess } from '../helpers/cli.js';
import type { CliRun, IsolatedHome } from '../helpers/cli.js';
import type { SecretHit } from './secret-scan.js';
import { scanText, scanTree } from './secret-scan.js';

const secret = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

describe('secrets never appear in logs, status or errors', function () {
  this.timeout(120_000);
  const secrets = {
    password: secret('pw'),
    wrongPassword: secret('wrongpw'),
    passphrase: secret('pass phrase'),
    pat: secret('pat'),
    oauthToken: secret('oauth'),
    bearer: secret('bearer'),
  };
  let emulator: RunningEmulator;
  let home: IsolatedHome;
  let env: NodeJS.ProcessEnv;
  /** Every output captured during the run, by label. */
  const captured: { where: string; text: string }[] = [];
  const inputs = new Set<string>();

  async function smcp(args: string[], timeoutMs = 30_000): Promise<CliRun> {
    // cwd inside HOME: anything written relative to the working directory is scanned too.
    const run = await runProcess(SMCP_BIN, args, { env, cwd: home.home, timeoutMs });
    captured.push({ where: `smcp ${args.join(' ')} (stdout)`, text: run.stdout });
    captured.push({ where: `smcp ${args.join(' ')} (stderr)`, text: run.stderr });
    return run;
  }

  async function http(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
    const res = await fetch(url, init);
    const text = await res.text();
    captured.push({ where: `${init.method ?? 'GET'} ${url} → ${res.status}`, text });
    captured.push({ where: `headers of ${url}`, text: JSON.stringify([...res.headers.entries()]) });
    return { status: res.status, text };
  }

  function writeInput(path: string, text: string): void {
    writeFileSync(path, text, { mode: 0o600 });
    inputs.add(path);
  }

  before(async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: {
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: secrets.passphrase,
      },
    });
    const user = { defaultWarehouse: 'COMPUTE_WH', defaultRole: 'SYSADMIN', roles: ['SYSADMIN'] };
    emulator = await startEmulator({
      port: 0,
      sampleData: false,
      users: [
        { name: 'PWUSER', password: secrets.password, ...user },
        { name: 'KEYUSER', rsaPublicKey: publicKey, ...user },
        { name: 'PATUSER', programmaticAccessTokens: [secrets.pat], ...user },
        { name: 'OAUSER', oauthAccessTokens: [secrets.oauthToken], ...user },
      ],
    });
    home = isolatedHome();
    env = { ...home.env, SMCP_TOKEN: secrets.bearer };
    const keys = join(home.home, 'keys');
    const snowflakeHome = join(home.home, '.snowflake');
    mkdirSync(keys, { mode: 0o700 });
    mkdirSync(snowflakeHome, { mode: 0o700 });
    writeInput(join(keys, 'rsa_key.p8'), privateKey);
    writeInput(join(keys, 'oauth.token'), secrets.oauthToken);
    const endpoint = `host = "127.0.0.1"\nport = ${emulator.port}\nprotocol = "http"\naccount = "SMCPLOCAL"\nwarehouse = "COMPUTE_WH"\n`;
    const q = (s: string): string => JSON.stringify(s);
    writeInput(
      join(snowflakeHome, 'connections.toml'),
      [
        `[keypair]\n${endpoint}user = "KEYUSER"\nauthenticator = "SNOWFLAKE_JWT"`,
        `private_key_file = ${q(join(keys, 'rsa_key.p8'))}\nprivate_key_file_pwd = ${q(secrets.passphrase)}\n`,
        `[pw]\n${endpoint}user = "PWUSER"\npassword = ${q(secrets.password)}\n`,
        `[badpw]\n${endpoint}user = "PWUSER"\npassword = ${q(secrets.wrongPassword)}\n`,
        `[pat]\n${endpoint}user = "PATUSER"\nauthenticator = "PROGRAMMATIC_ACCESS_TOKEN"\ntoken = ${q(secrets.pat)}\n`,
        `[oauth]\n${endpoint}user = "OAUSER"\nauthenticator = "OAUTH"\ntoken_file_path = ${q(join(keys, 'oauth.token'))}\n`,
      ].join('\n'),
    );
  });

  after(async () => {
    // Whatever happened, no daemon outlives the test.
    if (home) {
      await smcp(['stop'], 40_000).catch(() => undefined);
      home.remove();
    }
    await emulator?.close();
  });

  it('leaves no password, passphrase or token in any file, output or HTTP body of a daemon run', async () => {
    // Configuration and one-shot calls (no daemon yet: each logs in itself) on every connection.
    for (const name of ['keypair', 'pw', 'pat', 'oauth', 'badpw']) {
      expect((await smcp(['config', 'validate', '--connection', name])).code, `validate ${name}`).to.equal(0);
      await smcp(['config', 'show', '--connection', name]);
    }
    for (const name of ['keypair', 'pat', 'oauth']) {
      const run = await smcp(['call', '--connection', name, 'execute_query', 'sql=SELECT CURRENT_USER()']);
      expect(run.code, `call over ${name}: ${run.stderr}`).to.equal(0);
    }
    const badCall = await smcp(['call', '--connection', 'badpw', 'execute_query', 'sql=SELECT 1']);
    expect(badCall.code).to.not.equal(0);
    expect(badCall.stdout + badCall.stderr).to.contain('AUTH_FAILED');

    // The daemon, key pair with passphrase, debug logging.
    const started = await smcp(['start', '--connection', 'keypair', '--port', '0', '--log-level', 'debug']);
    expect(started.code, started.stderr).to.equal(0);
    const status = await smcp(['status', '--json']);
    expect(status.code).to.equal(0);
    await smcp(['status']);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(status.stdout)?.[0];
    expect(url, status.stdout).to.be.a('string');
    const ok = await smcp(['call', 'execute_query', 'sql=SELECT 1 AS ONE']);
    expect(ok.code, ok.stderr).to.equal(0);
    const badSql = await smcp(['call', 'execute_query', 'sql=SELEC nonsense FROM']);
    expect(badSql.code).to.not.equal(0);
    await smcp(['call', 'list_databases']);
    await smcp(['tools']);

    // HTTP with and without the bearer token.
    const auth = { authorization: `Bearer ${secrets.bearer}` };
    expect((await http(`${url}/status`, { headers: auth })).status).to.equal(200);
    expect((await http(`${url}/readyz`, { headers: auth })).status).to.equal(200);
    expect((await http(`${url}/status`)).status).to.equal(401);
    expect(
      (await http(`${url}/status`, { headers: { authorization: `Bearer ${secrets.wrongPassword}` } })).status,
    ).to.equal(401);
    expect(
      (
        await http(`${url}/mcp`, {
          method: 'POST',
          headers: { authorization: 'Basic ' + Buffer.from(`u:${secrets.bearer}x`).toString('base64') },
        })
      ).status,
    ).to.equal(401);
    const call = (sql: string): RequestInit => ({
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'execute_query', arguments: { sql } }),
    });
    await http(`${url}/mcp/tools/call`, call('SELECT CURRENT_USER()'));
    await http(`${url}/mcp/tools/call`, call('SELECT * FROM NO_SUCH_TABLE'));
    // Requests the MCP handler refuses: logged at debug level with the error.
    for (const version of ['2026-07-28', 'garbage']) {
      await http(`${url}/mcp`, {
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': version,
          'mcp-method': 'tools/list',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {},
        }),
      });
    }

    // Logs, drain, stop; a second daemon with a token connection; a restart.
    await smcp(['logs', '-n', '1000']);
    await smcp(['logs', '--json', '-n', '1000', '--level', 'debug']);
    expect((await smcp(['drain'])).code).to.equal(0);
    await smcp(['status', '--json']);
    expect((await smcp(['stop'])).code).to.equal(0);
    expect(
      (await smcp(['start', '--connection', 'pat', '--port', '0', '--log-level', 'debug'])).code,
    ).to.equal(0);
    await smcp(['call', 'execute_query', 'sql=SELECT 2']);
    await smcp(['restart', '--connection', 'pw', '--port', '0', '--log-level', 'debug']);
    await smcp(['call', 'execute_query', 'sql=SELECT 3']);
    await smcp(['status', '--json']);
    await smcp(['logs', '-n', '1000']);
    expect((await smcp(['stop'])).code).to.equal(0);

    // Scan: every file under HOME but the inputs, every capture.
    const tree = scanTree(home.home, secrets, inputs);
    const hits: SecretHit[] = [...tree.hits];
    for (const { where, text } of captured) hits.push(...scanText(text, where, secrets));
    const logFiles = tree.files.filter((f) => /smcp\.log|daemon\.out/.test(f));
    expect(logFiles, `log files written: ${tree.files.join(', ')}`).to.not.be.empty;
    expect(tree.bytes, 'bytes written under HOME').to.be.greaterThan(1000);
    // The run really logged at debug level and really logged in with every secret.
    const logText = logFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(logText, 'debug records in the log').to.contain('"level":"debug"');
    expect(emulator.stats().logins, 'emulator logins').to.be.at.least(6);
    const report = hits.map((h) => `${h.secret} (${h.form}) in ${h.where}: ${h.context}`).join('\n');
    expect(hits, `secrets leaked:\n${report}`).to.deep.equal([]);
  });

  it('finds a secret planted in a scratch file (the scanner can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smcp-scan-'));
    try {
      mkdirSync(join(dir, 'nested'));
      writeFileSync(join(dir, 'nested', 'clean.log'), 'nothing here\n');
      writeFileSync(join(dir, 'plain.log'), `{"msg":"login","password":"${secrets.password}"}\n`);
      writeFileSync(
        join(dir, 'nested', 'b64.bin'),
        Buffer.from(`auth ${Buffer.from(secrets.pat).toString('base64')}`),
      );
      const { hits } = scanTree(dir, secrets);
      expect(hits.map((h) => [h.secret, h.form, h.where.slice(dir.length)])).to.have.deep.members([
        ['password', 'plain', '/plain.log'],
        ['pat', 'base64', '/nested/b64.bin'],
      ]);
      expect(hits[0].context).to.contain('«').and.not.contain(secrets.password);
      expect(scanText(`x ${encodeURIComponent(secrets.passphrase)} y`, 'capture', secrets)).to.have.length(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
