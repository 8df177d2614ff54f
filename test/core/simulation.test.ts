import { describe, expect, it } from 'vitest';
import type { SimulationAnswer, SimulationResult } from '../../server/src/core/simulation';
import { posOf, workspace } from './helpers';
import { SIM_POLICIES, simulationWorkspace } from './simulationFixture';

const { service, path } = simulationWorkspace();
const POLICY_FILE = path('policies/payments.cedar');

function answer(r: SimulationResult): SimulationAnswer {
  if (!r.ok) throw new Error(`not simulated: ${r.error.message}`);
  return r;
}

const refund = (amount: number | string, principal = 'billing') =>
  answer(service.simulate({ principal, action: 'create_refund', context: `{"input": {"amount": ${amount}}}` }));

const PING_INPUT = (from: string) =>
  JSON.stringify({
    input: {
      from: { __extn: { fn: 'ip', arg: from } },
      price: { __extn: { fn: 'decimal', arg: '1.25' } },
      at: { __extn: { fn: 'datetime', arg: '2025-01-01' } },
      wait: { __extn: { fn: 'duration', arg: '1h' } },
    },
  });

describe('simulate: names', () => {
  it('resolves an agent name to its principal and a tool to its action and server', () => {
    const a = refund(100);
    expect(a.request).toMatchObject({
      principal: { type: 'Acme::Agent', id: 'billing' },
      action: { type: 'Acme::Action', id: 'create_refund' },
      resource: { type: 'Acme::McpServer', id: 'payments' },
    });
    expect(a.agent).toMatchObject({ name: 'billing', file: path('agents/billing.agent.yaml') });
    expect(a.tool).toMatchObject({ name: 'create_refund', server: 'payments', file: path('tools/payments.tools.json') });
    expect(a.validated).toBe(true);
  });

  it('takes server/tool, Cedar uids for principal, action and resource alike', () => {
    const a = answer(
      service.simulate({
        principal: 'Acme::Agent::"billing"',
        action: 'Acme::Action::"create_refund"',
        resource: 'Acme::McpServer::"payments"',
        context: '{"input": {"amount": 100}}',
      }),
    );
    expect(a.decision).toBe('allow');
    expect(a.agent?.name).toBe('billing');
    const b = answer(
      service.simulate({ principal: 'billing', action: 'payments/create_refund', context: '{"input": {"amount": 100}}' }),
    );
    expect(b.decision).toBe('allow');
  });

  it('an unknown agent, tool, uid or resource is an input error naming the closest match', () => {
    expect(service.simulate({ principal: 'biling', action: 'create_refund' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'principal', suggestion: 'billing' }),
    });
    const tool = service.simulate({ principal: 'billing', action: 'create_refnd' });
    expect(tool).toEqual({ ok: false, error: expect.objectContaining({ field: 'action', suggestion: 'create_refund' }) });
    expect(!tool.ok && tool.error.message).toMatch(/No tool is named "create_refnd"\. Did you mean create_refund\?/);
    expect(service.simulate({ principal: 'Acme::Agent::"billng"', action: 'create_refund' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'principal', suggestion: 'Acme::Agent::"billing"' }),
    });
    expect(service.simulate({ principal: 'billing', action: 'Acme::Action::"create_refnd"' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'action', suggestion: 'Acme::Action::"create_refund"' }),
    });
    expect(service.simulate({ principal: 'billing', action: 'create_refund', resource: 'Acme::McpServer::"paymnts"' })).toEqual({
      ok: false,
      error: expect.objectContaining({ field: 'resource', suggestion: 'Acme::McpServer::"payments"' }),
    });
  });

  it('far from every known name, it lists the known ones instead', () => {
    const r = service.simulate({ principal: 'zzzzzzzzzzzz', action: 'create_refund' });
    expect(!r.ok && r.error.message).toBe('No agent is named "zzzzzzzzzzzz". Known: billing, support.');
  });
});

describe('simulate: decisions', () => {
  it('decides with the determining policies linked to their file and range', () => {
    const a = refund(100);
    expect(a.decision).toBe('allow');
    expect(a.determining).toEqual([
      {
        id: 'small-refunds',
        effect: 'permit',
        file: POLICY_FILE,
        range: { start: posOf(SIM_POLICIES, '@id("small-refunds")'), end: posOf(SIM_POLICIES, '500 };', 6) },
      },
    ]);
    const big = refund(900);
    expect(big.decision).toBe('deny');
    expect(big.determining.map((p) => [p.id, p.effect])).toEqual([['big-refunds-need-approval', 'forbid']]);
    const approved = answer(
      service.simulate({
        principal: 'billing',
        action: 'create_refund',
        context: '{"input": {"amount": 900}, "approval": {"granted": true}}',
      }),
    );
    expect(approved.decision).toBe('allow');
    expect(approved.determining.map((p) => p.id)).toEqual(['approved-refunds']);
  });

  it('decides with the workspace entities (an attribute of the principal)', () => {
    const invoice = (principal: string) =>
      answer(service.simulate({ principal, action: 'get_invoice', context: '{"input": {"id": "INV-1"}}' })).decision;
    expect(invoice('billing')).toBe('allow');
    expect(invoice('support')).toBe('deny');
  });

  it('lists the policies that errored, linked to their source', () => {
    const a = answer(service.simulate({ principal: 'billing', action: 'transfer', context: '{"input": {"cents": 1}}' }));
    expect(a.decision).toBe('deny');
    expect(a.errors).toEqual([
      expect.objectContaining({
        policyId: 'overflowing-transfer',
        message: expect.stringMatching(/overflow/),
        policy: expect.objectContaining({ id: 'overflowing-transfer', file: POLICY_FILE }),
      }),
    ]);
  });

  it('a 64-bit integer in the context reaches Cedar exactly (JSON.parse would round both to 2^53)', () => {
    const transfer = (cents: string) =>
      answer(service.simulate({ principal: 'billing', action: 'transfer', context: `{"input": {"cents": ${cents}}}` }));
    expect(transfer('9007199254740993').decision).toBe('allow');
    expect(transfer('9007199254740993').determining.map((p) => p.id)).toEqual(['exact-transfer']);
    expect(transfer('9007199254740992').decision).toBe('deny');
    expect(JSON.stringify(transfer('9007199254740993').request.context)).toBe('{"input":{"cents":9007199254740993}}');
  });

  it('extension values (__extn: ip, decimal, datetime, duration) pass through to Cedar', () => {
    const ping = (from: string) => answer(service.simulate({ principal: 'support', action: 'ping', context: PING_INPUT(from) }));
    expect(ping('10.1.2.3').decision).toBe('allow');
    expect(ping('192.168.1.1').decision).toBe('deny');
    expect(ping('10.1.2.3').failures).toEqual([]);
  });

  it("a context that does not match the schema is Cedar's failure, not a decision", () => {
    const a = answer(service.simulate({ principal: 'billing', action: 'get_invoice', context: '{"input": {"id": 3}}' }));
    expect(a.decision).toBeUndefined();
    expect(a.failures.join()).toMatch(/not valid for `Acme::Action::"get_invoice"`/);
  });

  it('without a schema, the request is decided unvalidated', () => {
    const { service: bare } = workspace({
      'p.cedar': 'permit(principal == Agent::"a", action == Action::"x", resource) when { context.n == 1 };',
      'e.cedarentities.json': '[{"uid": {"type": "S", "id": "r"}, "attrs": {}, "parents": []}]',
    });
    // The principal as a policy names it, the action as a policy names it, the resource an entity.
    const a = answer(bare.simulate({ principal: 'Agent::"a"', action: 'Action::"x"', resource: 'S::"r"', context: '{"n": 1}' }));
    expect(a).toMatchObject({ validated: false, decision: 'allow' });
  });
});

describe('simulate: the context', () => {
  it('bad JSON is an input error with its position', () => {
    const r = service.simulate({ principal: 'billing', action: 'create_refund', context: '{\n  "input": {"amount": 1,\n}' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.field).toBe('context');
    expect(r.error.message).toMatch(/^The context is not valid JSON: .* at line 3, column 2\.$/);
    expect(r.error.range?.start).toEqual({ line: 2, character: 1 });
  });

  it('must be an object', () => {
    const r = service.simulate({ principal: 'billing', action: 'create_refund', context: '[1]' });
    expect(!r.ok && r.error.message).toMatch(/must be a JSON object.*found an array/);
  });

  it("an editor's default context is typed from the schema, extension values included, and is a valid request", () => {
    const text = service.defaultContext('payments/ping')!;
    expect(JSON.parse(text)).toEqual({
      input: {
        at: { __extn: { fn: 'datetime', arg: '1970-01-01' } },
        from: { __extn: { fn: 'ip', arg: '127.0.0.1' } },
        price: { __extn: { fn: 'decimal', arg: '0.0' } },
        wait: { __extn: { fn: 'duration', arg: '0ms' } },
      },
    });
    const a = answer(service.simulate({ principal: 'billing', action: 'ping', context: text }));
    expect(a.failures).toEqual([]);
    expect(a.decision).toBe('deny');
    expect(JSON.parse(service.defaultContext('create_refund')!)).toEqual({ input: { amount: 0, currency: '' } });
    expect(service.defaultContext('nope')).toBeUndefined();
  });

  it('without a schema, the default context comes from the tool input schema', () => {
    const { service: s } = workspace({
      'a.tools.json': JSON.stringify({
        server: 's',
        tools: [
          {
            name: 't',
            inputSchema: {
              type: 'object',
              properties: {
                n: { type: 'integer' },
                kind: { type: 'string', enum: ['a', 'b'] },
                tags: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        ],
      }),
    });
    expect(JSON.parse(s.defaultContext('t')!)).toEqual({ input: { n: 0, kind: 'a', tags: [] } });
  });
});

describe('simulate never throws', () => {
  const hostile = [
    '',
    ' ',
    '::',
    'A::',
    'A::"',
    '"',
    '/',
    '//',
    '\u0000',
    'x'.repeat(10_000),
    '[[[[',
    '{}',
    '__proto__',
    'constructor',
  ];
  it.each(hostile.map((text) => [text.slice(0, 12), text]))('on %j anywhere in the request', (_label, text) => {
    for (const request of [
      { principal: text, action: 'create_refund' },
      { principal: 'billing', action: text },
      { principal: 'billing', action: 'create_refund', resource: text },
      { principal: 'billing', action: 'create_refund', context: text },
    ]) {
      const r = service.simulate(request);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
    }
  });

  it('on a context nested too deeply', () => {
    const r = service.simulate({
      principal: 'billing',
      action: 'create_refund',
      context: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    });
    expect(!r.ok && r.error.field).toBe('context');
  });
});
