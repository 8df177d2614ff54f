// @ts-nocheck: the demo workspace ships without node_modules, so its SDK imports do not resolve.
// The ops MCP server, written with the SDK's older `server.tool(...)` overloads: service
// restarts and cache purges for the on-call assistant.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { purgeZone, restart } from './ops-api.js';

const server = new McpServer({ name: 'ops', version: '0.9.0' });

server.tool(
  'restart_service',
  'Restart every instance of a service, one at a time',
  { service: z.string(), environment: z.enum(['staging', 'production']) },
  { destructiveHint: true, idempotentHint: true },
  async ({ service, environment }) => ({ content: [{ type: 'text', text: await restart(service, environment) }] }),
);

server.tool(
  'purge_cache',
  'Purge the CDN cache of a zone',
  { zone: z.enum(['static', 'docs', 'app']) },
  // AG013: purging deletes cached content, so it is not read-only; the honest hints are on
  // restart_service above (destructiveHint) and on get_invoice in payments-server.
  { readOnlyHint: true },
  async ({ zone }) => ({ content: [{ type: 'text', text: await purgeZone(zone) }] }),
);

await server.connect(new StdioServerTransport());
