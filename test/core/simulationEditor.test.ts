// What the editor's simulation is built from, in the core: the `▶ Simulate` lenses, the pickers'
// choices, the context's JSON Schema, and saving a simulated request as a request test that
// then passes (new file and append, JSONC kept).
import { describe, expect, it } from 'vitest';
import { simulationChoices, simulationContext } from '../../server/src/core/simulation/choices';
import { simulationLenses } from '../../server/src/core/simulation/lenses';
import { saveAsTest } from '../../server/src/core/simulation/saveAsTest';
import { saveSimulationAsTest } from '../../server/src/core/simulation/saveSimulation';
import type { SimulationAnswer, SimulationRequest } from '../../server/src/core/simulation';
import { posOf } from './helpers';
import { BILLING, SIM_POLICIES, SIM_TOOLS, simulationWorkspace } from './simulationFixture';

const SUPPORT_POLICY = `@id("support-reads")
permit (principal == Acme::Agent::"support", action == Acme::Action::"get_invoice", resource);

permit (principal in Acme::Team::"finance", action in [Acme::Action::"get_invoice", Acme::Action::"transfer"], resource);
`;

describe('simulation lenses', () => {
  const { service, path } = simulationWorkspace({ 'policies/support.cedar': SUPPORT_POLICY });

  it('one on each tool definition, pre-filling the tool as server/tool', () => {
    const lenses = simulationLenses(service, path('tools/payments.tools.json'));
    expect(lenses.map((l) => l.target)).toEqual([
      { tool: 'payments/create_refund' },
      { tool: 'payments/get_invoice' },
      { tool: 'payments/transfer' },
      { tool: 'payments/ping' },
    ]);
    // On the tool's own range: the line of its JSON object.
    expect(lenses[1].range.start).toEqual(posOf(SIM_TOOLS, '{ "name": "get_invoice"'));
  });

  it('one on each binding, on its name, pre-filling the agent', () => {
    const lenses = simulationLenses(service, path('agents/billing.agent.yaml'));
    expect(lenses).toEqual([
      { range: { start: posOf(BILLING, 'billing'), end: posOf(BILLING, 'billing', 7) }, target: { agent: 'billing' } },
    ]);
  });

  it('one on each policy, on its effect keyword, pre-filling what its scope names with ==', () => {
    const lenses = simulationLenses(service, path('policies/payments.cedar'));
    expect(lenses).toHaveLength(7);
    expect(lenses[0]).toEqual({
      range: { start: posOf(SIM_POLICIES, 'permit'), end: posOf(SIM_POLICIES, 'permit', 6) },
      target: { agent: 'billing', tool: 'payments/create_refund' },
    });
    // `principal` alone names no agent; the action still names the tool.
    expect(lenses[1].target).toEqual({ tool: 'payments/create_refund' });
    const other = simulationLenses(service, path('policies/support.cedar'));
    expect(other.map((l) => l.target)).toEqual([
      { agent: 'support', tool: 'payments/get_invoice' },
      // `in` a team and an action list pre-fill nothing.
      {},
    ]);
  });

  it('none in files without tools, bindings or policies', () => {
    expect(simulationLenses(service, path('schema.cedarschema'))).toEqual([]);
    expect(simulationLenses(service, path('platform.cedarentities.json'))).toEqual([]);
  });
});

describe('simulation choices and the context schema', () => {
  const { service } = simulationWorkspace();

  it('offers every agent, tool (with its action and default resource), resource and test file', () => {
    const c = simulationChoices(service);
    expect(c.agents.map((a) => [a.name, a.principal, a.tools.length])).toEqual([
      ['billing', 'Acme::Agent::"billing"', 4],
      ['support', 'Acme::Agent::"support"', 1],
    ]);
    expect(c.tools.find((t) => t.name === 'create_refund')).toMatchObject({
      label: 'payments/create_refund',
      action: 'Acme::Action::"create_refund"',
      resource: 'Acme::McpServer::"payments"',
      risk: 'high',
    });
    expect(c.resources).toEqual([
      'Acme::Agent::"billing"',
      'Acme::Agent::"support"',
      'Acme::McpServer::"payments"',
      'Acme::Team::"finance"',
    ]);
    expect(c.testFiles).toEqual([]);
  });

  it('the context starts from the tool and its JSON Schema is the declared context: types, optionals, approval', () => {
    const ctx = simulationContext(service, 'payments/create_refund')!;
    expect(JSON.parse(ctx.context)).toEqual({ input: { amount: 0, currency: '' } });
    const schema = ctx.schema as { properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    expect(schema.properties.input).toMatchObject({
      type: 'object',
      properties: { amount: { type: 'integer' }, currency: { type: 'string' } },
      required: ['amount'],
      additionalProperties: false,
    });
    expect(schema.properties.approval).toMatchObject({ type: 'object', properties: { granted: { type: 'boolean' } } });
    expect(schema.properties.$schema).toEqual({ type: 'string' });
    expect(schema).toMatchObject({ required: ['input'], additionalProperties: false });
  });

  it('extension values and entity references get Cedar JSON shapes', () => {
    const schema = simulationContext(service, 'ping')!.schema as {
      properties: { input: { properties: Record<string, { properties: { __extn: { properties: { fn: unknown } } } }> } };
    };
    expect(schema.properties.input.properties.from.properties.__extn.properties.fn).toEqual({ const: 'ip' });
    expect(schema.properties.input.properties.wait.properties.__extn.properties.fn).toEqual({ const: 'duration' });
  });

  it('without a schema: from the tool input schema, with its descriptions and enums', () => {
    const { service: bare } = simulationWorkspace({ 'schema.cedarschema': '' });
    const tools = `{ "server": "mail", "tools": [ { "name": "send", "description": "Send",
      "inputSchema": { "type": "object", "properties": { "to": { "type": "string", "description": "Recipient" },
      "kind": { "type": "string", "enum": ["plain", "html"] } }, "required": ["to"] } } ] }`;
    bare.openDocument('/ws/tools/mail.tools.json', tools);
    const ctx = simulationContext(bare, 'mail/send')!;
    expect(ctx.schema).toMatchObject({
      properties: {
        input: {
          properties: { to: { type: 'string', description: 'Recipient' }, kind: { type: 'string', enum: ['plain', 'html'] } },
          required: ['to'],
        },
        approval: { properties: { granted: { type: 'boolean' } } },
      },
    });
    expect(simulationContext(bare, 'nope')).toBeUndefined();
  });
});

describe('save a simulated request as a test', () => {
  const REFUND: SimulationRequest = { principal: 'billing', action: 'create_refund', context: '{"input": {"amount": 900}}' };
  const TRANSFER: SimulationRequest = {
    principal: 'billing',
    action: 'transfer',
    context: '{"input": {"cents": 9007199254740993}}',
  };

  it('into a new file: relative paths, the decision and reasons; the file passes as saved', () => {
    const { service, path } = simulationWorkspace();
    const file = path('tests/saved.cedartests.json');
    const saved = saveSimulationAsTest(service, REFUND, file);
    if ('error' in saved) throw new Error(saved.error);
    expect(saved).toMatchObject({ created: true, index: 0 });
    const text = saved.text;
    expect(text).toMatch(/^\/\/ Request tests saved from simulations/);
    expect(text).toContain('"policies": "../policies/payments.cedar"');
    expect(text).toContain('"entities": "../platform.cedarentities.json"');
    expect(text).toContain('"schema": "../schema.cedarschema"');
    expect(text).toContain('"description": "billing calls payments/create_refund (amount=900)"');
    expect(text).toContain('"principal": { "type": "Acme::Agent", "id": "billing" },');
    expect(text).toContain('"decision": "deny"');
    expect(text).toContain('"big-refunds-need-approval"');
    service.openDocument(file, text);
    expect(service.findings(file)).toEqual([]);
    const run = service.runRequestTests(file);
    expect(run.results.map((r) => [r.passed, r.kind === 'request' && r.actual?.decision])).toEqual([[true, 'deny']]);
  });

  it('appended to an existing JSONC file: its comments and requests kept, the 64-bit input exact; it passes', () => {
    const { service, path } = simulationWorkspace();
    const file = path('tests/saved.cedartests.json');
    const first = saveSimulationAsTest(service, REFUND, file);
    if ('error' in first) throw new Error(first.error);
    const withComment = first.text
      .replace('"requests": [', '"requests": [\n    // the first one, kept\n')
      .replace(/}\n  ]/, '},\n  ]');
    service.openDocument(file, withComment);
    const second = saveSimulationAsTest(service, TRANSFER, file, 'an exact transfer');
    if ('error' in second) throw new Error(second.error);
    expect(second).toMatchObject({ created: false, index: 1 });
    expect(second.text).toContain('// the first one, kept');
    expect(second.text).toContain('"cents": 9007199254740993');
    expect(second.text).toContain('"description": "an exact transfer"');
    // Only the new request was written: the text before it is unchanged.
    expect(second.text.startsWith(withComment.slice(0, withComment.lastIndexOf('}', withComment.lastIndexOf(']'))))).toBe(true);
    service.changeDocument(file, second.text);
    const run = service.runRequestTests(file);
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => [r.passed, r.kind === 'request' && r.actual?.decision])).toEqual([
      [true, 'deny'],
      [true, 'allow'],
    ]);
    const transfer = run.results[1];
    expect(transfer.kind === 'request' && transfer.actual?.reason).toEqual(['exact-transfer']);
  });

  it('a file without `requests` gets one; a file that is not an object, or a request Cedar did not decide, is refused', () => {
    const answer = {
      ok: true,
      request: {
        principal: { type: 'A', id: 'a' },
        action: { type: 'Action', id: 'x' },
        resource: { type: 'R', id: 'r' },
        context: {},
      },
      decision: 'allow',
      determining: [
        {
          id: 'p',
          effect: 'permit',
          file: '/ws/p.cedar',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        },
      ],
      errors: [],
      failures: [],
      validated: false,
      ms: 1,
    } satisfies SimulationAnswer;
    const setup = { policyFiles: ['/ws/p.cedar'], entities: { inline: [] } };
    const added = saveAsTest('/ws/t.cedartests.json', '{ "policies": "p.cedar", "entities": [] }', answer, setup, 'd');
    expect('error' in added ? added.error : JSON.parse(added.text).requests).toEqual([
      {
        description: 'd',
        principal: { type: 'A', id: 'a' },
        action: { type: 'Action', id: 'x' },
        resource: { type: 'R', id: 'r' },
        context: {},
        decision: 'allow',
        reason: ['p'],
      },
    ]);
    // An empty list, tab-indented: the request goes inside it, one tab deeper than the key.
    const empty = saveAsTest('/ws/t.cedartests.json', '{\n\t"policies": "p.cedar",\n\t"requests": []\n}\n', answer, setup, 'd');
    expect('error' in empty ? empty.error : empty.text).toBe(
      '{\n\t"policies": "p.cedar",\n\t"requests": [\n\t\t{\n\t\t\t"description": "d",\n' +
        '\t\t\t"principal": { "type": "A", "id": "a" },\n\t\t\t"action": { "type": "Action", "id": "x" },\n' +
        '\t\t\t"resource": { "type": "R", "id": "r" },\n\t\t\t"context": { },\n\t\t\t"decision": "allow",\n' +
        '\t\t\t"reason": [ "p" ]\n\t\t}\n\t]\n}\n',
    );
    expect(saveAsTest('/ws/t.cedartests.json', '[1]', answer, setup)).toEqual({
      error: expect.stringMatching(/not a JSON object/),
    });
    expect(saveAsTest('/ws/t.cedartests.json', '{"requests": 3}', answer, setup)).toEqual({
      error: expect.stringMatching(/`requests` of this test file is not an array/),
    });
    const undecided = { ...answer, decision: undefined, failures: ['context is not valid'] };
    expect(saveAsTest('/ws/t.cedartests.json', undefined, undecided, setup)).toEqual({
      error: expect.stringMatching(/Cedar did not decide this request \(context is not valid\)/),
    });
  });

  it('an unknown agent is said, not saved', () => {
    const { service, path } = simulationWorkspace();
    expect(saveSimulationAsTest(service, { ...REFUND, principal: 'biling' }, path('tests/x.cedartests.json'))).toEqual({
      error: expect.stringMatching(/No agent is named "biling"\. Did you mean billing\?/),
    });
  });
});
