import { startEmulator } from './src/emulator/index.js';
import { SnowflakeClient, resolveConnectionSettings } from './src/snowflake/index.js';
const emu = await startEmulator({ port: 0, password: 'pw' });
const r = resolveConnectionSettings({ env: { SNOWFLAKE_ACCOUNT: emu.account, SNOWFLAKE_USER: 'SMCP', SNOWFLAKE_PASSWORD: 'pw', SNOWFLAKE_HOST: '127.0.0.1', SNOWFLAKE_PORT: String(emu.port), SNOWFLAKE_PROTOCOL: 'http' }, home: '/tmp/nohome' });
if (!r.configured) throw new Error('x');
const c = await SnowflakeClient.open(r, { max: 1 });
const ctx = { requestId: 'r1', clientId: 'c1', tool: 't' };
for (const sql of process.argv.slice(2)) {
  try { const res = await c.query({ sql, maxRows: 50, maxBytes: 100000, timeoutSeconds: 5, context: ctx }); console.log(sql, '=>', JSON.stringify(res.columns.map(c=>c.name+':'+c.type+'('+c.precision+','+c.scale+')')), JSON.stringify(res.rows)); }
  catch (e) { console.log(sql, 'ERR', JSON.stringify(e)); }
}
await c.close(); await emu.close();
