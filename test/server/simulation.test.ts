import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  RunSavedTestRequest,
  SaveAsTestRequest,
  SimulateRequest,
  SimulationChoicesRequest,
  SimulationContextRequest,
} from '../../server/src/protocol';
import { LspHarness, rangeOf } from './lspHarness';

/*
 * The simulation through the protocol, on a copy of examples/: `▶ Simulate` lenses on tools,
 * bindings and policies; the pickers' choices; a context with its JSON Schema; a request decided
 * with the editor's unsaved text (a policy edited, the same request re-run, another answer); and
 * a request saved as a test, new file and append, that then passes.
 */

const REFUND = {
  principal: 'billing-assistant',
  action: 'payments/create_refund',
  context: '{"input": {"invoiceId": "INV-1", "amount": 120, "currency": "EUR"}}',
};

describe('simulation over the protocol', () => {
  let h: LspHarness;
  beforeAll(async () => {
    h = await LspHarness.start();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('advertises code lenses and puts ▶ Simulate on each tool, binding and policy', async () => {
    expect(h.initializeResult.capabilities.codeLensProvider).toEqual({ resolveProvider: false });
    const lenses = async (rel: string) =>
      (await h.client.sendRequest(CodeLensRequest.type, { textDocument: { uri: h.uri(rel) } })) ?? [];
    const tools = await lenses('tools/payments-server/src/server.ts');
    expect(tools.map((l) => [l.command?.title, l.command?.command, l.command?.arguments])).toEqual([
      ['▶ Simulate', 'agentgov.simulateRequest', [{ tool: 'payments/get_invoice' }]],
      ['▶ Simulate', 'agentgov.simulateRequest', [{ tool: 'payments/create_refund' }]],
    ]);
    const server = readFileSync(h.path('tools/payments-server/src/server.ts'), 'utf8');
    expect(tools[0].range.start).toEqual(rangeOf(server, 'server.registerTool(').start);
    const binding = await lenses('agents/billing-assistant.agent.yaml');
    expect(binding.map((l) => [l.range.start.line, l.command?.arguments])).toEqual([[1, [{ agent: 'billing-assistant' }]]]);
    const policies = await lenses('policies/billing.cedar');
    const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    expect(policies.map((l) => [l.range, l.command?.arguments])).toEqual([
      [rangeOf(billing, 'permit', 0), [{ agent: 'billing-assistant', tool: 'payments/get_invoice' }]],
      [rangeOf(billing, 'permit', 1), [{ agent: 'billing-assistant', tool: 'payments/create_refund' }]],
      [rangeOf(billing, 'forbid', 0), [{ tool: 'payments/create_refund' }]],
    ]);
    expect(await lenses('agent-platform.cedarschema')).toEqual([]);
  });

  it('answers the pickers and the context with its JSON Schema', async () => {
    const c = await h.client.sendRequest(SimulationChoicesRequest);
    expect(c.agents.map((a) => a.name)).toContain('billing-assistant');
    expect(c.agents.find((a) => a.name === 'billing-assistant')).toMatchObject({
      principal: 'Platform::Agent::"billing-assistant"',
      tools: ['payments/get_invoice', 'payments/create_refund'],
      uri: h.uri('agents/billing-assistant.agent.yaml'),
    });
    expect(c.tools.find((t) => t.label === 'payments/create_refund')).toMatchObject({
      action: 'Platform::Action::"create_refund"',
      resource: 'Platform::McpServer::"payments"',
      uri: h.uri('tools/payments-server/src/server.ts'),
    });
    expect(c.resources).toContain('Platform::McpServer::"payments"');
    expect(c.testFiles).toEqual([h.uri('tests/billing.cedartests.json'), h.uri('tests/deploy.cedartests.json')]);
    const ctx = await h.client.sendRequest(SimulationContextRequest, { tool: 'payments/create_refund' });
    expect(JSON.parse(ctx!.context)).toEqual({ input: { invoiceId: '', amount: 0, currency: '', reason: '' } });
    expect(ctx!.schema).toMatchObject({
      properties: {
        input: {
          properties: {
            amount: { type: 'integer', description: 'Amount in cents' },
            currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
          },
          required: expect.arrayContaining(['invoiceId', 'amount', 'currency']),
        },
        approval: { properties: { granted: { type: 'boolean' } } },
      },
    });
    expect(await h.client.sendRequest(SimulationContextRequest, { tool: 'no_such_tool' })).toBeNull();
  });

  it('decides with the editor text: re-running after a policy edit gives the new answer', async () => {
    const first = await h.client.sendRequest(SimulateRequest, REFUND);
    expect(first).toMatchObject({
      ok: true,
      decision: 'allow',
      request: {
        principal: 'Platform::Agent::"billing-assistant"',
        action: 'Platform::Action::"create_refund"',
        resource: 'Platform::McpServer::"payments"',
      },
      agent: { name: 'billing-assistant', uri: h.uri('agents/billing-assistant.agent.yaml') },
      validated: true,
    });
    expect(first.ok && first.determining.map((p) => [p.id, p.effect, p.uri])).toEqual([
      ['billing-small-refunds', 'permit', h.uri('policies/billing.cedar')],
    ]);
    const text = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    const uri = await h.open('policies/billing.cedar', text);
    await h.change(uri, [{ range: rangeOf(text, 'amount <= 500'), text: 'amount <= 100' }]);
    const again = await h.client.sendRequest(SimulateRequest, REFUND);
    expect(again).toMatchObject({ ok: true, decision: 'deny', determining: [] });
    await h.close(uri);
    const unknown = await h.client.sendRequest(SimulateRequest, { ...REFUND, principal: 'billing-asistant' });
    expect(unknown).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'principal', suggestion: 'billing-assistant' }),
    });
  });

  it('saves a request as a test: a new file, then appended; the saved request passes', async () => {
    const uri = h.uri('tests/saved.cedartests.json');
    const created = await h.client.sendRequest(SaveAsTestRequest, { request: REFUND, uri });
    if (!created.ok) throw new Error(created.message);
    expect(created).toMatchObject({ created: true, index: 0, edits: [] });
    expect(created.text).toContain('"policies": [\n    "../policies/analytics.cedar",');
    expect(created.text).toContain('"reason": [ "billing-small-refunds" ]');
    // The editor creates the file; the server hears of it as the document opens.
    h.write('tests/saved.cedartests.json', created.text);
    await h.open('tests/saved.cedartests.json', created.text, 'json');
    expect(await h.client.sendRequest(RunSavedTestRequest, { uri, index: 0 })).toEqual({
      passed: true,
      message: 'it passes (allow)',
    });
    const big = { ...REFUND, context: REFUND.context.replace('120', '900') };
    const appended = await h.client.sendRequest(SaveAsTestRequest, { request: big, uri, description: 'too big' });
    if (!appended.ok) throw new Error(appended.message);
    expect(appended).toMatchObject({ created: false, index: 1 });
    // The edits, applied to the text the editor holds, give the text the server computed.
    const doc = TextDocument.create(uri, 'json', 1, created.text);
    const after = TextDocument.applyEdits(doc, appended.edits);
    expect(after).toBe(appended.text);
    await h.change(uri, [{ text: after }]);
    expect(await h.client.sendRequest(RunSavedTestRequest, { uri, index: 1 })).toEqual({
      passed: true,
      message: 'it passes (deny)',
    });
  });

  it('appended to a file with other policies, the saved request is said to fail there', async () => {
    const uri = h.uri('tests/billing.cedartests.json');
    // analytics-agent is allowed by analytics.cedar, which billing.cedartests.json does not load.
    const request = {
      principal: 'analytics-agent',
      action: 'publish_report',
      // An OpenAI function has no server: the resource is given.
      resource: 'Platform::McpServer::"payments"',
      context: '{"input": {"channel": "c", "title": "t", "body": "b"}}',
    };
    const decided = await h.client.sendRequest(SimulateRequest, request);
    if (!decided.ok) throw new Error(decided.error.message);
    const saved = await h.client.sendRequest(SaveAsTestRequest, { request, uri });
    if (!saved.ok) throw new Error(saved.message);
    const text = readFileSync(h.path('tests/billing.cedartests.json'), 'utf8');
    await h.open('tests/billing.cedartests.json', text, 'json');
    await h.change(uri, [{ text: TextDocument.applyEdits(TextDocument.create(uri, 'json', 1, text), saved.edits) }]);
    const check = await h.client.sendRequest(RunSavedTestRequest, { uri, index: saved.index });
    expect(decided.decision).toBe('allow');
    expect(check).toEqual({
      passed: false,
      message:
        "it fails in this file: expected allow [analytics-publish-report], its policies decide deny [] (the file tests other policies than the workspace's)",
    });
    const refused = await h.client.sendRequest(SaveAsTestRequest, { request, uri: h.uri('tests/x.json') });
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/cedartests\.json/) });
  });
});
