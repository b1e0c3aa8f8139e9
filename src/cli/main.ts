/**
 * Entry point of `bin/smcp`: the stdio bridge when a daemon runs, the fast path for
 * status/tools/call when a daemon answers, the full yargs CLI for everything else. Sets the exit
 * code. Each path loads only what it needs: a bridged `smcp stdio` starts as fast as it can.
 */

// A closed pipe (`smcp status | head -1`) ends the output, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(Number(process.exitCode ?? 0));
  throw err;
});

const argv = process.argv.slice(2);
const quick =
  argv[0] === 'stdio'
    ? await (await import('./stdio-bridge.js')).tryStdioBridge(argv.slice(1))
    : await (await import('./fast-path.js')).tryFastPath(argv);
if (quick !== undefined) {
  process.exitCode = quick;
} else {
  const { runCli } = await import('./run.js');
  process.exitCode = await runCli(argv);
}
// Under pm2 the IPC channel would keep a finished (or failed) command alive.
if (process.connected) process.disconnect();
