/**
 * The emulator of bench/result-budget.ts, alone in its process so that its RSS is the emulator's,
 * and compiled (dist/), as the daemon runs it: starts with the budgets given on the command line,
 * says where it listens over IPC, answers { op: 'stats' } with its figures and stops on
 * { op: 'stop' }.
 *
 *   node bench/result-budget-child.js <memoryMiB> <diskMiB>
 */
import process from 'node:process';
import { startEmulator } from '../dist/emulator/index.js';

const MIB = 2 ** 20;
const memoryMiB = Number(process.argv[2] ?? 256);
const diskMiB = Number(process.argv[3] ?? 4096);
const emulator = await startEmulator({
  port: 0,
  password: process.env.BENCH_PASSWORD ?? 'bench-password',
  sampleData: false,
  resultMemoryBytes: memoryMiB * MIB,
  resultDiskBytes: diskMiB * MIB,
});

process.on('message', (message) => {
  if (message.op === 'stats') {
    process.send?.({
      emulator: emulator.stats(),
      engine: emulator.engine.stats?.() ?? {},
      memory: process.memoryUsage(),
    });
  } else if (message.op === 'stop') {
    void emulator.close().then(() => process.exit(0));
  }
});
process.send?.({
  url: emulator.url,
  pid: process.pid,
  host: emulator.host,
  port: emulator.port,
  account: emulator.account,
});
