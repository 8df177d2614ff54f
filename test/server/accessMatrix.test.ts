import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PublishDiagnosticsNotification } from 'vscode-languageserver-protocol/node';
import { AccessMatrixRequest, type MatrixCellItem } from '../../server/src/protocol';
import { LspHarness } from './lspHarness';

let h: LspHarness;
afterEach(async () => h?.dispose());

/** Where `needle` starts and the statement holding it ends (its `;`), as an LSP range. */
function statementRange(text: string, needle: string) {
  const start = text.indexOf(needle);
  const end = text.indexOf(';', start) + 1;
  const pos = (o: number) => {
    const before = text.slice(0, o);
    return { line: before.split('\n').length - 1, character: o - before.lastIndexOf('\n') - 1 };
  };
  return { start: pos(start), end: pos(end) };
}

const cellOf = (cells: MatrixCellItem[], agent: string, tool: string) => {
  const c = cells.find((x) => x.agent === agent && x.tool === tool);
  if (!c) throw new Error(`no cell ${agent} × ${tool} in ${cells.map((x) => `${x.agent}×${x.tool}`).join(', ')}`);
  return c;
};

describe('agentgov/accessMatrix', () => {
  it('answers the examples with URIs and ranges: policies, the binding entry and the tool definition', async () => {
    h = await LspHarness.start();
    const m = await h.client.sendRequest(AccessMatrixRequest, {});
    expect(m.all).toBe(false);
    expect(m.cells).toHaveLength(12);
    expect(m.requests).toBe(24);
    const refund = cellOf(m.cells, 'billing-assistant', 'create_refund');
    expect(refund).toMatchObject({
      server: 'payments',
      risk: { level: 'high' },
      identity: 'workload spiffe://acme.example/agents/billing-assistant',
      credentials: ['payments-api: jit-token 15m'],
      audit: 'otel://collector.acme.example:4317',
      listed: true,
      without: { outcome: 'depends' },
      withApproval: { outcome: 'depends' },
    });
    expect(refund.without.residual).toBe(
      'allowed when context.input.amount <= 500 && context.input.currency == "EUR", unless context.input.amount > 500',
    );
    const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    expect(refund.without.policies).toEqual([
      {
        id: 'billing-small-refunds',
        effect: 'permit',
        uri: h.uri('policies/billing.cedar'),
        range: statementRange(billing, '@id("billing-small-refunds")'),
      },
      {
        id: 'refunds-above-limit-need-approval',
        effect: 'forbid',
        uri: h.uri('policies/billing.cedar'),
        range: statementRange(billing, '@id("refunds-above-limit-need-approval")'),
      },
    ]);
    // The binding's entry for the tool, and the tool's name where it is defined.
    const binding = readFileSync(h.path('agents/billing-assistant.agent.yaml'), 'utf8').split('\n');
    expect(refund.binding.uri).toBe(h.uri('agents/billing-assistant.agent.yaml'));
    expect(binding[refund.binding.range.start.line].slice(refund.binding.range.start.character)).toBe('payments/create_refund');
    expect(refund.definition.uri.startsWith(h.uri('tools/payments-server'))).toBe(true);
    const tool = readFileSync(new URL(refund.definition.uri), 'utf8').split('\n')[refund.definition.range.start.line];
    expect(tool.slice(refund.definition.range.start.character, refund.definition.range.end.character)).toContain('create_refund');
    // An allow with a determining permit, and a deny no policy determines.
    expect(cellOf(m.cells, 'analytics-agent', 'publish_report').without).toMatchObject({
      outcome: 'allow',
      policies: [{ id: 'analytics-publish-report', uri: h.uri('policies/analytics.cedar') }],
    });
    expect(cellOf(m.cells, 'deploy-bot', 'read_logs').without).toEqual({ outcome: 'deny', policies: [] });
    expect(m.gaps).toEqual([
      expect.objectContaining({
        agent: 'research-agent',
        tool: 'summarize_page',
        uri: h.uri('agents/research-agent.agent.yaml'),
      }),
    ]);
  });

  it('`all`: every agent × every tool, the pairs a binding does not list marked', async () => {
    h = await LspHarness.start();
    const bound = await h.client.sendRequest(AccessMatrixRequest, {});
    const m = await h.client.sendRequest(AccessMatrixRequest, { all: true });
    expect(m.all).toBe(true);
    const agents = new Set(m.cells.map((c) => c.agent));
    const tools = new Set(m.cells.map((c) => `${c.server}/${c.tool}`));
    expect(m.cells).toHaveLength(agents.size * tools.size);
    expect(m.cells.filter((c) => c.listed)).toHaveLength(bound.cells.length);
    const unlisted = cellOf(m.cells, 'support-agent', 'create_refund');
    expect(unlisted.listed).toBe(false);
    // Where the binding does not list the tool, the agent cell leads to the binding's name.
    expect(unlisted.binding.uri).toBe(h.uri('agents/support-agent.agent.yaml'));
  });

  it('is answered after the check of an edit settles, and follows the edit', async () => {
    h = await LspHarness.start({ settings: { diagnosticsDelay: 300 } });
    const uri = h.uri('policies/billing.cedar');
    const text = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    await h.open('policies/billing.cedar', text);
    await h.waitForDiagnostics(uri, () => true);
    const order: string[] = [];
    h.client.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (p.uri === uri) order.push('diagnostics');
    });
    // Without the forbid, a refund is allowed whenever the permit's condition holds, approval or not.
    await h.change(uri, [{ text: text.slice(0, text.indexOf('@id("refunds-above-limit-need-approval")')) }]);
    const m = await h.client.sendRequest(AccessMatrixRequest, {});
    order.push('matrix');
    expect(order).toEqual(['diagnostics', 'matrix']);
    const refund = cellOf(m.cells, 'billing-assistant', 'create_refund');
    expect(refund.without.residual).toBe('allowed when context.input.amount <= 500 && context.input.currency == "EUR"');
    expect(refund.without.policies.map((p) => p.id)).toEqual(['billing-small-refunds']);
  });

  it('a workspace Cedar cannot read still answers: broken policies are left out, nothing throws', async () => {
    h = await LspHarness.start({
      files: {
        'policies/billing.cedar': 'permit (principal, action == Platform::Action::"create_refund", resource) when { 1 + };\n',
        'agents/broken.agent.yaml': 'name: [unclosed\n',
      },
    });
    const m = await h.client.sendRequest(AccessMatrixRequest, {});
    expect(cellOf(m.cells, 'billing-assistant', 'create_refund').without).toEqual({ outcome: 'deny', policies: [] });
    expect(h.logs.filter((l) => l.includes('failed'))).toEqual([]);
  });
});
