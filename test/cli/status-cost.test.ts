import { expect } from 'chai';
import type { DaemonStatus } from '../../src/admin/protocol.js';
import { statusLines } from '../../src/cli/status-view.js';

/** A running daemon's status with `costGuard` (the rest as small as statusLines reads it). */
function status(costGuard: DaemonStatus['costGuard']): DaemonStatus {
  return {
    pid: 42,
    uptimeSeconds: 60,
    version: '0.0.0',
    state: 'serving',
    supervised: false,
    endpoints: { mcp: 'http://127.0.0.1:1/mcp', websocket: 'ws://127.0.0.1:1/mcp', sse: null, toolApi: '' },
    database: {},
    pool: {},
    sessions: {},
    inFlight: [],
    requestsCompleted: 0,
    memory: {},
    emulator: null,
    drain: null,
    files: { socket: '', pidfile: '', logFile: '/tmp/smcp.log' },
    ...(costGuard ? { costGuard } : {}),
  } as unknown as DaemonStatus;
}

describe('smcp status: cost guard', () => {
  it('prints the mode, the budgets and the clients that read most this hour', () => {
    const lines = statusLines(
      status({
        mode: 'refuse',
        maxScanBytes: 10 * 2 ** 30,
        maxScanBytesPerClient: 0,
        windowSeconds: 3600,
        clients: [
          {
            client: 'http:3f1b2c9a…',
            estimatedBytes: 3 * 2 ** 20,
            windowBytes: 2 ** 20,
            reads: 3,
            refusals: 1,
          },
        ],
      }),
      'emulator',
    );
    const cost = lines.filter((l) => l.startsWith('  cost:') || l.startsWith('    http:'));
    expect(cost).to.deep.equal([
      '  cost:      guard refuse, 10 GiB per read, none per client per hour',
      '    http:3f1b2c9a…                1 MiB this window, 3 MiB in 3 reads, 1 refused',
    ]);
  });

  it('says when the guard is off', () => {
    const lines = statusLines(
      status({ mode: 'off', maxScanBytes: 1, maxScanBytesPerClient: 1, windowSeconds: 3600, clients: [] }),
      'emulator',
    );
    expect(lines).to.include('  cost:      guard off');
  });
});
