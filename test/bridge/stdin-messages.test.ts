/**
 * The bridge reads stdin by the SDK's rules without loading the SDK: line by line against the
 * SDK's own ReadBuffer (what `smcp stdio` in-process uses), the same lines must give the same
 * messages, the same rejections and the same silently skipped lines.
 */
import { ReadBuffer } from '@modelcontextprotocol/server';
import { expect } from 'chai';
import { STDIN_MAX_BUFFER_BYTES, StdinMessages } from '../../src/bridge/stdin-messages.js';

/** Lines a client might write, good and bad. */
const LINES = [
  '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x","arguments":{"a":1}}}',
  '{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
  '{"jsonrpc":"2.0","id":null,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":null}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":"t"}}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":1.5}}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":[]}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","extra":true}',
  '{"jsonrpc":"2.0","method":"notifications/initialized"}',
  '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"x"}}',
  '{"jsonrpc":"2.0","method":7}',
  '{"jsonrpc":"1.0","id":1,"method":"ping"}',
  '{"id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"result":{}}',
  '{"jsonrpc":"2.0","id":1,"result":[]}',
  '{"jsonrpc":"2.0","result":{}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"no"}}',
  '{"jsonrpc":"2.0","error":{"code":-32000,"message":"no","data":{"a":1}}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"no"}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":1}}',
  '{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"x"}}',
  '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
  '[]',
  '42',
  '"text"',
  'null',
  '{}',
  'not json',
  '',
  '   ',
  '{"jsonrpc":"2.0","id":2,"method":"ping"}\r',
];

/** What the SDK's ReadBuffer makes of `text`: each message as JSON, 'invalid' for a rejected line. */
function viaSdk(text: string): string[] {
  const buffer = new ReadBuffer();
  buffer.append(Buffer.from(text));
  const out: string[] = [];
  for (;;) {
    try {
      const message = buffer.readMessage();
      if (message === null) break;
      out.push(JSON.stringify(message));
    } catch {
      out.push('invalid');
    }
  }
  return out;
}

function viaBridge(text: string): string[] {
  const out: string[] = [];
  const reader = new StdinMessages(
    (message) => out.push(JSON.stringify(message)),
    () => out.push('invalid'),
  );
  reader.append(Buffer.from(text));
  return out;
}

describe('bridge: stdin messages', () => {
  for (const line of LINES) {
    it(`takes ${JSON.stringify(line).slice(0, 90)} as the SDK's stdio transport does`, () => {
      expect(viaBridge(`${line}\n`)).to.deep.equal(viaSdk(`${line}\n`));
    });
  }

  it('reads many lines in one chunk and a line split across chunks', () => {
    const text = `${LINES.join('\n')}\n`;
    expect(viaBridge(text)).to.deep.equal(viaSdk(text));
    const out: string[] = [];
    const reader = new StdinMessages(
      (m) => out.push(String(m.id)),
      () => out.push('invalid'),
    );
    reader.append(Buffer.from('{"jsonrpc":"2.0","id":9,'));
    expect(out).to.deep.equal([]);
    reader.append(Buffer.from('"method":"ping"}\n'));
    expect(out).to.deep.equal(['9']);
  });

  it('refuses more than 10 MiB waiting for a newline, as the SDK does, and forgets it', () => {
    const out: string[] = [];
    const reader = new StdinMessages(
      (m) => out.push(String(m.id)),
      () => {},
    );
    const sdk = new ReadBuffer();
    const big = Buffer.alloc(STDIN_MAX_BUFFER_BYTES, 'x');
    reader.append(big);
    sdk.append(big);
    expect(() => reader.append(Buffer.from('y'))).to.throw(/exceeded maximum size/);
    expect(() => sdk.append(Buffer.from('y'))).to.throw(/exceeded maximum size/);
    // The held text is gone: the next line stands on its own.
    reader.append(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}\n'));
    expect(out).to.deep.equal(['1']);
  });
});
