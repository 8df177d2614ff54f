import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  type Location,
  type MarkupContent,
  type CompletionItem,
} from 'vscode-languageserver-protocol/node';
import { LspHarness, marked, rangeOf, withoutGovernance } from './lspHarness';

let h: LspHarness;
let serverTs: string;
beforeAll(async () => {
  h = await LspHarness.start();
  serverTs = readFileSync(h.path('tools/payments-server/src/server.ts'), 'utf8');
});
afterAll(async () => h?.dispose());

describe('agent tools over LSP', () => {
  it('hover on a tool action shows the tool, its inputs, risk and agents', async () => {
    const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    const at = rangeOf(billing, 'create_refund').start;
    const hover = await h.client.sendRequest(HoverRequest.type, {
      textDocument: { uri: h.uri('policies/billing.cedar') },
      position: { ...at, character: at.character + 2 },
    });
    const md = (hover!.contents as MarkupContent).value;
    expect(md).toContain('**Tool** `payments/create_refund`');
    expect(md).toContain('Risk: **high**');
    expect(md).toContain('Agents bound to it: `billing-assistant`');
    expect(md).toMatch(/Defined in tools\/payments-server\/src\/server\.ts:\d+/);
  });

  it('definition on a tool action jumps to the registerTool call', async () => {
    const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    const at = rangeOf(billing, 'create_refund').start;
    const [loc] = (await h.client.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: h.uri('policies/billing.cedar') },
      position: { ...at, character: at.character + 2 },
    })) as Location[];
    expect(loc.uri).toBe(h.uri('tools/payments-server/src/server.ts'));
    expect(loc.range).toEqual(rangeOf(serverTs, "'create_refund'"));
  });

  it('completion after context.input. of a tool the schema does not declare offers its fields', async () => {
    const { text, positions } = marked(
      'permit(principal, action == Action::"export_customer_data", resource) when { context.input.| };',
    );
    const uri = await h.open('policies/export.cedar', text);
    const items = (await h.client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positions[0],
    })) as CompletionItem[];
    expect(items.map((i) => i.label).sort()).toEqual(['customerId', 'includeAttachments']);
  });

  it('an edit that renames a tool input re-validates policies that use it', async () => {
    const uri = await h.open(
      'policies/export.cedar',
      'permit(principal, action == Action::"export_customer_data", resource) when { context.input.customerId == "c1" };',
    );
    // Cedar's findings only: the permit's governance findings (AG009 here) are not what this is about.
    await h.waitForDiagnostics(uri, (d) => withoutGovernance(d).length === 0);
    const agentPath = 'tools/helpdesk/agent.ts';
    const agentTs = readFileSync(h.path(agentPath), 'utf8');
    await h.open(agentPath, agentTs.replace('customerId: z.string()', 'accountId: z.string()'), 'typescript');
    const d = withoutGovernance(await h.waitForDiagnostics(uri, (ds) => withoutGovernance(ds).length > 0));
    expect(d[0].message).toContain('customerId');
    expect(d[0].message).toContain('accountId');
  });

  it('a binding naming a missing tool gets AG003 on the entry', async () => {
    const text = readFileSync(h.path('agents/support-agent.agent.yaml'), 'utf8').replace(
      '  - reply_to_ticket',
      '  - reply_to_tikcet',
    );
    const uri = await h.open('agents/support-agent.agent.yaml', text, 'yaml');
    const [d] = await h.waitForDiagnostics(uri, (ds) => ds.some((x) => x.code === 'AG003'));
    expect(d.range).toEqual(rangeOf(text, 'reply_to_tikcet'));
    expect(d.message).toContain('reply_to_ticket');
  });
});
