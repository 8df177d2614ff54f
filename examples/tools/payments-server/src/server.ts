// @ts-nocheck: the demo workspace ships without node_modules, so its SDK imports do not resolve.
// The payments MCP server: invoices and refunds for the billing assistant.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { issueRefund, loadInvoice } from './payments-api.js';

const server = new McpServer({ name: 'payments', version: '1.4.0' });

server.registerTool(
  'get_invoice',
  {
    title: 'Get invoice',
    description: 'Look up one invoice by its id',
    inputSchema: { invoiceId: z.string().describe('Invoice id, e.g. INV-2041') },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ invoiceId }) => ({ content: [{ type: 'text', text: JSON.stringify(await loadInvoice(invoiceId)) }] }),
);

const refundInput = {
  invoiceId: z.string().describe('Invoice to refund'),
  amount: z.number().int().positive().describe('Amount in cents'),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  reason: z.string().max(500).optional(),
};

server.registerTool(
  'create_refund',
  {
    title: 'Create refund',
    description: 'Refund part or all of an invoice to the customer',
    inputSchema: refundInput,
    annotations: { destructiveHint: true, idempotentHint: false },
  },
  async (args) => ({ content: [{ type: 'text', text: JSON.stringify(await issueRefund(args)) }] }),
);

await server.connect(new StdioServerTransport());
