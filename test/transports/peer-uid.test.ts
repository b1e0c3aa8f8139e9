import { expect } from 'chai';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { PeerUidResolver, parseSocketTable, procAddress } from '../../src/transports/peer-uid.js';

describe('local user behind a loopback connection', function () {
  it('writes addresses the way /proc/net/tcp{,6} does', () => {
    expect(procAddress('127.0.0.1', 8000)).to.equal('0100007F:1F40');
    expect(procAddress('::ffff:127.0.0.1', 80)).to.equal('0000000000000000FFFF00000100007F:0050');
    expect(procAddress('::1', 1)).to.equal('00000000000000000000000001000000:0001');
    expect(procAddress('10.0.0.1', 1)).to.equal('0100000A:0001');
    expect(procAddress('fe80::1', 1)).to.equal(undefined);
  });

  it('reads the uid column and skips lines it cannot read', () => {
    const table = parseSocketTable(
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   1: 0100007F:C21E 0100007F:9643 01 00000000:00000000 00:00000000 00000000  1000        0 7 1\n' +
        'garbage\n',
    );
    expect(table.get('0100007F:C21E 0100007F:9643')).to.equal(1000);
    expect(table.size).to.equal(1);
  });

  it('finds this process as the peer of every one of many concurrent connections', async function () {
    if (!PeerUidResolver.supported()) this.skip(); // the kernel tables exist on Linux only
    const resolver = new PeerUidResolver();
    const answers: Promise<number | undefined>[] = [];
    const accepted: Socket[] = [];
    const server = createServer((socket: Socket) => {
      accepted.push(socket);
      answers.push(resolver.uidOf(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const clients = Array.from({ length: 60 }, () => connect(port, '127.0.0.1').on('error', () => {}));
    while (answers.length < clients.length) await new Promise((r) => setTimeout(r, 10));
    const uids = await Promise.all(answers);
    for (const socket of [...clients, ...accepted]) socket.destroy();
    server.close();
    expect(new Set(uids)).to.deep.equal(new Set([process.getuid!()]));
  });
});
