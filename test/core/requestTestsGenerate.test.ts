// Request tests generated from today's decisions (issue 10): the file written passes today and
// fails once a decision changes; an existing file gets only the requests it lacks; the inputs
// are read from the residual conditions, so a test exercises the policy it was made for.
import { describe, expect, it } from 'vitest';
import { residualCondition } from '../../server/src/core/cedar/residual';
import { valuesSatisfying, withInput } from '../../server/src/core/requestTests/residualInput';
import { appendRequests, newTestFileText, type WrittenRequest } from '../../server/src/core/requestTests/testFileText';
import { pathFromTestFile } from '../../server/src/core/requestTests/testPaths';
import { readTestFile } from '../../server/src/core/requestTests';
import { SIM_POLICIES, simulationWorkspace } from './simulationFixture';

const POLICY = '/ws/policies/payments.cedar';
const TESTS = '/ws/policies/payments.cedartests.json';

/** The generated requests of a text, as (description, decision, reason, context). */
function requestsOf(text: string) {
  const { file, problems } = readTestFile(text);
  expect(problems).toEqual([]);
  return file!.requests.map((r) => ({
    description: r.description,
    decision: r.expected?.decision,
    reason: r.expected?.reason,
    context: r.call?.context,
  }));
}

describe('generated request tests', () => {
  it('pin a policy down: the file passes today and fails when the policy changes', async () => {
    const { service } = simulationWorkspace();
    const g = await service.generateRequestTests({ policyFile: POLICY, policyId: 'small-refunds' });
    expect(g.pairs).toBe(1);
    expect(g.files.map((f) => [f.file, f.created, f.added])).toEqual([[TESTS, true, 2]]);
    const text = g.files[0].text;
    // The residual `context.input.amount <= 500` gives the input; the approval lifts nothing here.
    expect(requestsOf(text)).toEqual([
      {
        description: 'billing calls payments/create_refund without an approval',
        decision: 'allow',
        reason: ['small-refunds'],
        context: { input: { amount: 500, currency: '' } },
      },
      {
        description: 'billing calls payments/create_refund with an approval granted',
        decision: 'allow',
        reason: ['approved-refunds', 'small-refunds'],
        context: { input: { amount: 500, currency: '' }, approval: { granted: true } },
      },
    ]);
    expect(text).toMatch(/^\/\/ Generated from today's decisions/);
    expect(text).toContain('"policies": "payments.cedar"');
    expect(text).toContain('"entities": "platform.cedarentities.json"');
    expect(text).toContain('"schema": "schema.cedarschema"');

    service.openDocument(TESTS, text);
    expect(service.findings(TESTS)).toEqual([]);
    expect(service.runRequestTests(TESTS).results.map((r) => r.passed)).toEqual([true, true]);

    // A stricter limit: today's 500 is no longer a small refund, and the test says so.
    service.changeDocument(POLICY, SIM_POLICIES.replace('amount <= 500', 'amount <= 100'));
    const after = service.runRequestTests(TESTS).results;
    expect(after.map((r) => r.passed)).toEqual([false, false]);
    expect(after[0]).toMatchObject({ mismatches: ['decision', 'reason'], actual: { decision: 'deny', reason: [] } });
    expect(after[1]).toMatchObject({ mismatches: ['reason'], actual: { decision: 'allow', reason: ['approved-refunds'] } });
  });

  it('a forbid gets the input that makes it hold, and the approval request where the answer differs', async () => {
    const { service } = simulationWorkspace();
    const g = await service.generateRequestTests({ policyFile: POLICY, policyId: 'big-refunds-need-approval' });
    expect(requestsOf(g.files[0].text)).toEqual([
      expect.objectContaining({
        decision: 'deny',
        reason: ['big-refunds-need-approval'],
        context: { input: { amount: 501, currency: '' } },
      }),
      expect.objectContaining({ decision: 'allow', reason: ['approved-refunds'] }),
    ]);
  });

  it('adds to an existing test file only what it lacks, leaving the rest of it as written', async () => {
    const { service } = simulationWorkspace();
    const first = await service.generateRequestTests({ policyFile: POLICY, policyId: 'small-refunds' });
    const mine = first.files[0].text.replace('{\n  "policies"', '{\n  // kept\n  "policies"');
    service.openDocument(TESTS, mine);
    const again = await service.generateRequestTests({ policyFile: POLICY, policyId: 'small-refunds' });
    expect(again.files).toEqual([]);
    const more = await service.generateRequestTests({ policyFile: POLICY, policyId: 'senior-invoices' });
    expect(more.files.map((f) => [f.created, f.added])).toEqual([[false, 1]]);
    const text = more.files[0].text;
    expect(text.startsWith(mine.slice(0, mine.lastIndexOf('}\n  ]')))).toBe(true);
    expect(text).toContain('// kept');
    expect(requestsOf(text).map((r) => [r.description, r.decision, r.reason])).toEqual([
      ['billing calls payments/create_refund without an approval', 'allow', ['small-refunds']],
      ['billing calls payments/create_refund with an approval granted', 'allow', ['approved-refunds', 'small-refunds']],
      ['billing calls payments/get_invoice without an approval', 'allow', ['senior-invoices']],
    ]);
    service.changeDocument(TESTS, text);
    expect(service.runRequestTests(TESTS).results.every((r) => r.passed)).toBe(true);
  });

  it('for the workspace: one file with every bound agent × tool, each passing today', async () => {
    const { service } = simulationWorkspace();
    const g = await service.generateRequestTests();
    expect(g.files.map((f) => f.file)).toEqual(['/ws/agent-access.cedartests.json']);
    expect(g.pairs).toBe(5);
    const requests = requestsOf(g.files[0].text);
    expect(requests.map((r) => r.description.replace(/ (with|without) an approval.*$/, ''))).toEqual(
      expect.arrayContaining([
        'billing calls payments/transfer',
        'billing calls payments/ping',
        'support calls payments/get_invoice',
      ]),
    );
    // The support agent's tier is 1: no policy lets it read invoices, approval or not.
    expect(requests.filter((r) => r.description.startsWith('support'))).toEqual([
      expect.objectContaining({ decision: 'deny', reason: [] }),
    ]);
    service.openDocument('/ws/agent-access.cedartests.json', g.files[0].text);
    const run = service.runRequestTests('/ws/agent-access.cedartests.json');
    expect(run.problems).toEqual([]);
    expect(run.results.every((r) => r.passed)).toBe(true);
  });

  it('a policy that decides no bound pair writes nothing', async () => {
    const { service } = simulationWorkspace({
      'policies/other.cedar': '@id("nobody")\npermit (principal == Acme::Agent::"x", action, resource);\n',
    });
    const g = await service.generateRequestTests({ policyFile: '/ws/policies/other.cedar' });
    expect(g).toEqual({ files: [], skipped: [], pairs: 0 });
  });
});

describe('inputs from a residual condition', () => {
  const input = (attr: string) => ({ '.': { left: { unknown: [{ Value: 'input' }] }, attr } });
  const permit = (body: unknown) => ({ effect: 'permit', conditions: [{ kind: 'when', body }] });

  it('reads comparisons, like, contains and the resource', () => {
    const cond = {
      '&&': {
        left: { '<': { left: input('amount'), right: { Value: 10 } } },
        right: {
          '&&': {
            left: { like: { left: input('id'), pattern: [{ Literal: 'I' }, 'Wildcard'] } },
            right: {
              '&&': {
                left: { contains: { left: { Set: [{ Value: 'docs' }, { Value: 'static' }] }, right: input('zone') } },
                right: {
                  '==': {
                    left: { unknown: [{ Value: 'resource' }] },
                    right: { Value: { __entity: { type: 'McpServer', id: 'helpdesk' } } },
                  },
                },
              },
            },
          },
        },
      },
    };
    expect(residualCondition(permit(cond))).toBeTruthy();
    expect(valuesSatisfying(permit(cond))).toEqual([
      { input: ['amount'], value: 9 },
      { input: ['id'], value: 'I1' },
      { input: ['zone'], value: 'docs' },
      { resource: { type: 'McpServer', id: 'helpdesk' } },
    ]);
  });

  it('takes the first side of a disjunction, a literal on either side, and leaves what it cannot read', () => {
    const cond = {
      '||': {
        left: { '>=': { left: { Value: 5 }, right: input('n') } },
        right: { '==': { left: input('m'), right: { Value: 1 } } },
      },
    };
    expect(valuesSatisfying(permit(cond))).toEqual([{ input: ['n'], value: 5 }]);
    expect(valuesSatisfying(permit({ '!': { arg: { has: { left: { unknown: [{ Value: 'input' }] }, attr: 'x' } } } }))).toEqual(
      [],
    );
    // A 64-bit literal beyond 2^53 comes back rounded: it is not written.
    expect(valuesSatisfying(permit({ '==': { left: input('c'), right: { Value: 2 ** 60 } } }))).toEqual([]);
  });

  it('sets values at their paths, keeping the other fields', () => {
    expect(
      withInput({ a: 1, b: { c: '' } }, [
        { input: ['b', 'c'], value: 'x' },
        { input: ['d', 'e'], value: 2 },
      ]),
    ).toEqual({
      a: 1,
      b: { c: 'x' },
      d: { e: 2 },
    });
  });
});

describe('test file text', () => {
  const req: WrittenRequest = {
    description: 'a calls t',
    principal: { type: 'Agent', id: 'a' },
    action: { type: 'Action', id: 't' },
    resource: { type: 'Server', id: 's' },
    context: { input: { n: 1 } },
    expected: { decision: 'allow', reason: ['p'] },
  };

  it('appends after the last request (trailing comma or not), into an empty array, or not at all', () => {
    const base = '{ "policies": "p.cedar", "entities": [], "requests": [\n    { "description": "x" }\n  ]\n}\n';
    const out = appendRequests(base, [req])!;
    expect(out).toContain('{ "description": "x" },\n    {\n      "description": "a calls t"');
    expect(JSON.parse(out).requests).toHaveLength(2);
    const trailing = appendRequests(base.replace('"x" }', '"x" },'), [req])!;
    expect(trailing).toMatch(/"reason": \["p"\]\n {4}},\n {2}\]/);
    expect(appendRequests('{ "requests": [] }', [req])).toContain('"requests": [\n  {\n    "description"');
    expect(appendRequests('{ "requests": 1 }', [req])).toBeUndefined();
  });

  it('writes a new file as the examples are written', () => {
    const text = newTestFileText({ comment: ['hi'], policies: ['a.cedar'], entities: 'e.json', schema: 's.cedarschema' }, [req]);
    expect(text).toBe(
      [
        '// hi',
        '{',
        '  "policies": "a.cedar",',
        '  "entities": "e.json",',
        '  "schema": "s.cedarschema",',
        '  "requests": [',
        '    {',
        '      "description": "a calls t",',
        '      "principal": { "type": "Agent", "id": "a" },',
        '      "action": { "type": "Action", "id": "t" },',
        '      "resource": { "type": "Server", "id": "s" },',
        '      "context": { "input": { "n": 1 } },',
        '      "decision": "allow",',
        '      "reason": ["p"]',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('names a file as found from the test file: the nearest folder whose name finds exactly it', () => {
    const files = new Set(['/ws/schema.cedarschema', '/ws/tests/schema.cedarschema', '/ws/policies/a.cedar']);
    const exists = (p: string) => files.has(p);
    expect(pathFromTestFile('/ws/policies/a.cedartests.json', '/ws/policies/a.cedar', '/ws', exists)).toBe('a.cedar');
    expect(pathFromTestFile('/ws/policies/a.cedartests.json', '/ws/schema.cedarschema', '/ws', exists)).toBe(
      'schema.cedarschema',
    );
    // From tests/, `schema.cedarschema` would find tests/schema.cedarschema first.
    expect(pathFromTestFile('/ws/tests/a.cedartests.json', '/ws/schema.cedarschema', '/ws', exists)).toBe(
      '../schema.cedarschema',
    );
    expect(pathFromTestFile('/ws/tests/a.cedartests.json', '/ws/policies/a.cedar', '/ws', exists)).toBe('policies/a.cedar');
  });
});
