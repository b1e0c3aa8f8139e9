/**
 * A stdio server for the throughput matrix, spawned with pipes:
 *   baseline — the minimal SDK v2 McpServer (constant tool) on StdioServerTransport;
 *   bare     — a newline-delimited JSON responder answering every request with the constant result.
 * Exits when stdin ends.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { serveBareStdio } from './baseline-servers.js';

const mode = process.argv[2] ?? 'baseline';
if (mode === 'bare') {
  serveBareStdio();
} else {
  const server = new McpServer({ name: 'bench-constant', version: '1.0.0' });
  server.registerTool('constant', { description: 'Answers 1', inputSchema: z.object({}) }, () => ({
    content: [{ type: 'text', text: '1' }],
  }));
  const transport = new StdioServerTransport();
  transport.onclose = () => process.exit(0);
  process.stdin.on('end', () => process.exit(0));
  await server.connect(transport);
}
