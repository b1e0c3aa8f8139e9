/**
 * Baseline servers the throughput matrix compares smcp with, beside the minimal SDK v2 HTTP server
 * of mcp-server-child.ts:
 * - the same minimal SDK v2 McpServer over WebSocket, through the thinnest Transport over `ws` one
 *   could write (one JSON-RPC message per text frame, one server per connection): the protocol
 *   limit on WebSocket;
 * - a bare responder on node:http and `ws` that answers every JSON-RPC request with the constant
 *   tool's result and the request's id, no MCP at all: the transport limit.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { JSONRPCMessage, McpServer, Transport } from '@modelcontextprotocol/server';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { listenOnLoopback } from '../test/helpers/listen.js';

/** The constant tool's answer: what the baseline SDK server returns for `constant`. */
const CONSTANT_RESULT = { content: [{ type: 'text', text: '1' }] };

/** An SDK Transport over one WebSocket, no more than the protocol needs. */
class MinimalWsTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(private readonly ws: WebSocket) {}

  start(): Promise<void> {
    this.ws.on('message', (data: Buffer) => {
      try {
        this.onmessage?.(JSON.parse(data.toString()) as JSONRPCMessage);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    });
    this.ws.on('close', () => this.onclose?.());
    this.ws.on('error', (error) => this.onerror?.(error));
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) =>
      this.ws.send(JSON.stringify(message), (e) => (e ? reject(e) : resolve())),
    );
  }

  close(): Promise<void> {
    this.ws.close();
    return Promise.resolve();
  }
}

/** Serves `factory()` servers over WebSocket on `server` at /mcp; returns the closer. */
export function attachSdkWebSocket(server: Server, factory: () => McpServer): () => void {
  const wss = new WebSocketServer({ server, path: '/mcp', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    void factory().connect(new MinimalWsTransport(ws));
  });
  return () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** The constant answer to request `text`, or undefined for a notification or garbage. */
function bareAnswer(text: string): string | undefined {
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    return undefined;
  }
  if (id === undefined) return undefined;
  return JSON.stringify({ jsonrpc: '2.0', id, result: CONSTANT_RESULT });
}

/** A bare JSON responder on node:http (POST /mcp) and ws (/mcp) on 127.0.0.1, a free port. */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = bareAnswer(Buffer.concat(chunks).toString());
      if (body === undefined) {
        res.writeHead(202).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ server, path: '/mcp', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const body = bareAnswer(data.toString());
      if (body !== undefined) ws.send(body);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Answers newline-delimited JSON-RPC on stdin with the constant result on stdout (bare stdio). */
export function serveBareStdio(): void {
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    let out = '';
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const body = bareAnswer(buffered.slice(0, nl));
      if (body !== undefined) out += `${body}\n`;
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
    if (out) process.stdout.write(out);
  });
  process.stdin.on('end', () => process.exit(0));
}
