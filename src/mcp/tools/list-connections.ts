/**
 * list_connections: the Snowflake connections this server serves (served only when there are
 * several), with what a model needs to pick one: account, role, warehouse, default database,
 * health and whether writes are allowed. Never credentials.
 */
import { z } from 'zod';
import { defineTool, READ_ONLY_HINTS } from '../tool-types.js';
import { listingText } from './common.js';

const connectionSchema = z.object({
  name: z.string(),
  backend: z.enum(['snowflake', 'emulator']),
  account: z.string().nullable(),
  role: z.string().nullable(),
  warehouse: z.string().nullable(),
  database: z.string().nullable(),
  healthy: z.boolean(),
  allowWrite: z.boolean(),
  default: z.boolean(),
});

/** The list_connections tool. */
export const listConnectionsTool = defineTool({
  name: 'list_connections',
  title: 'List connections',
  description:
    'Lists the Snowflake connections this server serves; every other tool takes `connection` (default: the first).',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({ connections: z.array(connectionSchema) }),
  annotations: READ_ONLY_HINTS,
  // eslint-disable-next-line @typescript-eslint/require-await
  async run(_args, call) {
    const connections = call.connections?.() ?? [];
    return {
      structured: { connections },
      text: [
        listingText(
          connections,
          ['name', 'backend', 'account', 'role', 'warehouse', 'database', 'healthy', 'allowWrite', 'default'],
          false,
          'connections',
        ),
      ],
    };
  },
});
