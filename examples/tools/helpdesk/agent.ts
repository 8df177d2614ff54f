// @ts-nocheck: the demo workspace ships without node_modules, so its SDK imports do not resolve.
// The support agent, written with the Vercel AI SDK: its tools are the keys of `tools`.
import { openai } from '@ai-sdk/openai';
import { generateText, tool } from 'ai';
import { z } from 'zod';
import { helpdesk } from './helpdesk-client';

const searchTickets = tool({
  description: 'Search support tickets of the customer',
  inputSchema: z.object({
    query: z.string().describe('Free-text search'),
    limit: z.number().int().max(50).optional(),
  }),
  execute: async ({ query, limit }) => helpdesk.search(query, limit ?? 20),
});

export async function answer(question: string) {
  return generateText({
    model: openai('gpt-4.1'),
    prompt: question,
    tools: {
      search_tickets: searchTickets,
      reply_to_ticket: tool({
        description: 'Send a reply to the customer on a ticket',
        inputSchema: z.object({ ticketId: z.string(), body: z.string().min(1) }),
        needsApproval: true,
        execute: async ({ ticketId, body }) => helpdesk.reply(ticketId, body),
      }),
      // AG002: the model gets this tool, but agents/support-agent.agent.yaml does not list it, so no
      // agent identity answers for it; the two tools above are listed there.
      export_customer_data: tool({
        description: 'Export all data held about a customer as a ZIP archive',
        inputSchema: z.object({ customerId: z.string(), includeAttachments: z.boolean().default(false) }),
        execute: async ({ customerId, includeAttachments }) => helpdesk.export(customerId, includeAttachments),
      }),
    },
  });
}
