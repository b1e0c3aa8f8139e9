/**
 * The time zone a session computes in is the one it announces: the TIMEZONE of the login reply's
 * parameters (which snowflake-sdk converts TIMESTAMP_LTZ values with) equals SHOW PARAMETERS LIKE
 * 'TIMEZONE' in the same session, at login, with a time zone set at login, and after ALTER SESSION.
 */
import { expect } from 'chai';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { rawLogin, rawQueryRequest, startTestEmulator, type LoginParameter } from './harness.js';

interface Answer {
  success: boolean;
  message?: string;
  data?: {
    parameters?: LoginParameter[];
    rowtype?: { name: string }[];
    rowset?: (string | null)[][];
  };
}

function timezoneOf(parameters: LoginParameter[] | undefined): unknown {
  return parameters?.find((p) => p.name === 'TIMEZONE')?.value;
}

describe('emulator session time zone', function () {
  let emulator: RunningEmulator;

  before(async function () {
    emulator = await startTestEmulator();
  });

  after(async function () {
    await emulator.close();
  });

  async function login(
    sessionParameters?: Record<string, unknown>,
  ): Promise<{ token: string; timezone: unknown }> {
    const data = sessionParameters ? { SESSION_PARAMETERS: sessionParameters } : {};
    const { token, parameters } = await rawLogin(emulator, { data });
    return { token, timezone: timezoneOf(parameters) };
  }

  async function query(token: string, sqlText: string): Promise<Answer> {
    const answer = await rawQueryRequest(emulator, token, { sqlText });
    const json = answer.json as Answer | undefined;
    expect(json?.success, answer.text).to.equal(true);
    return json as Answer;
  }

  /** SHOW PARAMETERS LIKE 'TIMEZONE' in the session: its value and its default. */
  async function shown(token: string): Promise<{ value: unknown; default: unknown }> {
    const answer = await query(token, "SHOW PARAMETERS LIKE 'TIMEZONE'");
    const names = (answer.data?.rowtype ?? []).map((c) => c.name);
    const row = answer.data?.rowset?.[0] ?? [];
    return { value: row[names.indexOf('value')], default: row[names.indexOf('default')] };
  }

  it('announces at login the time zone SHOW PARAMETERS shows, as value and default', async function () {
    const { token, timezone } = await login();
    expect(timezone).to.be.a('string').and.not.equal('');
    expect(await shown(token)).to.deep.equal({ value: timezone, default: timezone });
  });

  it('announces a time zone the client sets at login, and SHOW PARAMETERS shows it', async function () {
    const { token, timezone } = await login({ TIMEZONE: 'Europe/Warsaw' });
    expect(timezone).to.equal('Europe/Warsaw');
    expect((await shown(token)).value).to.equal('Europe/Warsaw');
  });

  it('announces the time zone ALTER SESSION sets with every answer, as SHOW PARAMETERS shows it', async function () {
    const { token } = await login();
    const altered = await query(token, "ALTER SESSION SET TIMEZONE = 'Asia/Tokyo'");
    expect(timezoneOf(altered.data?.parameters)).to.equal('Asia/Tokyo');
    expect((await shown(token)).value).to.equal('Asia/Tokyo');
    const next = await query(token, 'SELECT 1');
    expect(timezoneOf(next.data?.parameters)).to.equal('Asia/Tokyo');
  });
});
