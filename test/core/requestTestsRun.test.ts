// Running request tests: decisions, reasons in both id forms, erroring policies, what cannot run,
// shouldValidate, 64-bit values, and coverage (determining and satisfied).
import { describe, expect, it } from 'vitest';
import { cedarGateway } from '../../server/src/core/cedar/gateway';
import { coverageOf, type RequestResult, runTestFile, type TestResult } from '../../server/src/core/requestTests';
import {
  ERROR_POLICIES,
  request,
  ROOT,
  runShop,
  SHOP_ENTITIES,
  SHOP_POLICIES,
  shopHost,
  shopTest,
  TEST_FILE,
} from './requestTestsFixture';

const requests = (results: TestResult[]) => results.filter((r): r is RequestResult => r.kind === 'request');

describe('running request tests', () => {
  it('passes when Cedar agrees, naming policies by @id or by position', () => {
    const run = runShop(
      shopTest([
        request('refund', { amount: 30 }, 'allow', { reason: ['small-refunds'], errors: [] }),
        request('refund', { amount: 80 }, 'deny', { reason: ['policy1'] }),
        request('read', {}, 'allow', { reason: ['policy2'] }),
        request('read', {}, 'deny', { principal: { type: 'Shop::Agent', id: 'b' }, reason: [] }),
        // No `reason`: only the decision is compared.
        request('refund', { amount: 80, approved: true }, 'allow'),
      ]),
    );
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => r.passed)).toEqual([true, true, true, true, true]);
    expect(requests(run.results)[1].actual).toEqual({ decision: 'deny', reason: ['policy1'], errors: [] });
    expect(requests(run.results)[2].actual!.reason).toEqual(['tier-reads']);
    expect(run.results[0].range.start.line).toBeGreaterThan(0);
    for (const r of run.results) expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with expected and actual when Cedar disagrees: decision, reasons, erroring policies', () => {
    const run = runShop(
      shopTest([
        request('refund', { amount: 80 }, 'allow', { reason: ['small-refunds'] }),
        request('read', {}, 'allow', { reason: ['never'] }),
        request('read', {}, 'allow', { reason: ['tier-reads', 'never'] }),
        request('read', {}, 'allow', { reason: ['tier-reads'], errors: ['big-tier'] }),
      ]),
    );
    const [decision, wrongReason, extraReason, wrongErrors] = requests(run.results);
    expect(decision).toMatchObject({
      passed: false,
      expected: { decision: 'allow', reason: ['small-refunds'] },
      actual: { decision: 'deny', reason: ['policy1'], errors: [] },
      mismatches: ['decision', 'reason'],
    });
    expect(wrongReason).toMatchObject({ passed: false, mismatches: ['reason'] });
    expect(extraReason).toMatchObject({ passed: false, mismatches: ['reason'] });
    expect(wrongErrors).toMatchObject({ passed: false, mismatches: ['errors'], actual: { errors: [] } });
  });

  it('erroring policies, across two files whose positional ids collide', () => {
    const run = runShop(
      shopTest(
        [
          request('read', {}, 'allow', { reason: ['tier-reads'], errors: ['big-tier'] }),
          // `policy1` names the forbid of shop.cedar and the permit of errors.cedar alike.
          request('refund', { amount: 80 }, 'deny', { reason: ['policy1'] }),
          request('read', {}, 'allow', {
            principal: { type: 'Shop::Agent', id: 'nobody' },
            validateRequest: false,
            reason: ['policy1'],
          }),
        ],
        { policies: ['policies/shop.cedar', 'policies/errors.cedar'], entities: JSON.parse(SHOP_ENTITIES) },
      ),
    );
    expect(run.problems).toEqual([]);
    const [erroring, forbid, second] = requests(run.results);
    expect(erroring).toMatchObject({ passed: true, actual: { decision: 'allow', errors: ['big-tier'] } });
    expect(erroring.errorMessages![0]).toMatchObject({ policy: 'big-tier', message: expect.stringMatching(/big/) });
    expect(forbid).toMatchObject({ passed: true, actual: { reason: ['policy1'] } });
    expect(second).toMatchObject({ passed: true, actual: { reason: ['policies/errors.cedar#policy1'] } });
  });

  it('a request that cannot run has a result saying why; the others still run', () => {
    const run = runShop(
      shopTest([
        request('read', {}, 'allow'),
        request('read', {}, 'allow', { principal: { type: 'Shop::Agnet', id: 'a' } }),
        request('read', {}, 'allow', { decision: 'yes' }),
        // Cedar refuses it: the context lacks `amount`, which the schema requires.
        request('refund', {}, 'allow'),
      ]),
    );
    const [ok, undeclared, malformed, refused] = requests(run.results);
    expect(ok.passed).toBe(true);
    expect(undeclared).toMatchObject({
      passed: false,
      notRun: true,
      error: expect.stringMatching(/^Not run: The schema declares no entity type/),
    });
    expect(malformed).toMatchObject({ passed: false, notRun: true, error: expect.stringMatching(/`decision` must be/) });
    expect(refused).toMatchObject({
      passed: false,
      error: expect.stringMatching(/^Cedar could not decide this request: .*amount/),
    });
    expect(refused.notRun).toBeUndefined();
  });

  it('entities Cedar rejects for the schema: the request says so', () => {
    const entities = [{ uid: { type: 'Shop::Agent', id: 'a' }, attrs: { tier: 'high' }, parents: [] }];
    const [r] = requests(runShop(shopTest([request('read', {}, 'allow')], { entities })).results);
    expect(r).toMatchObject({ passed: false, error: expect.stringMatching(/^Cedar could not decide this request: .*tier/) });
  });

  it('a file that cannot run: every request says why, with the file problem', () => {
    const run = runShop(shopTest([request('read', {}, 'allow'), request('read', {}, 'deny')], { policies: 'nope.cedar' }));
    expect(run.results).toHaveLength(2);
    for (const r of requests(run.results))
      expect(r).toMatchObject({ passed: false, notRun: true, error: expect.stringMatching(/No policy file `nope.cedar`/) });
  });

  it('an unforeseen failure costs the file its run, as a problem, and throws nothing', () => {
    const host = shopHost(shopTest([request('read', {}, 'allow')]));
    const broken = {
      ...host,
      read: (p: string) => {
        if (p.endsWith('.cedar')) throw new Error('disk on fire');
        return host.read(p);
      },
    };
    const run = runTestFile(TEST_FILE, ROOT, broken);
    expect(run.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: 'This file could not be run: disk on fire' }),
    ]);
  });

  it('only the requests asked for run', () => {
    const run = runShop(
      shopTest([request('read', {}, 'allow'), request('read', {}, 'deny'), request('read', {}, 'allow')], {
        shouldValidate: true,
      }),
      {
        only: [2],
      },
    );
    expect(run.results.map((r) => (r.kind === 'request' ? r.index : r.kind))).toEqual([2]);
  });

  it('shouldValidate: a result comparing Cedar validation with the expectation', () => {
    const valid = runShop(shopTest([], { shouldValidate: true }));
    expect(valid.results).toEqual([
      expect.objectContaining({ kind: 'validation', passed: true, actual: { validates: true, errors: [] } }),
    ]);
    const wrong = runShop(shopTest([], { shouldValidate: false }));
    expect(wrong.results[0]).toMatchObject({ passed: false, expected: { validates: false }, actual: { validates: true } });
    const invalid = runShop(
      shopTest([], {
        policiesText: 'permit (principal, action == Shop::Action::"read", resource) when { principal.nope == 1 };',
        policies: undefined,
        shouldValidate: false,
      }),
    );
    expect(invalid.results[0]).toMatchObject({ passed: true, actual: { validates: false } });
    expect((invalid.results[0].actual as { errors: string[] }).errors[0]).toMatch(/nope/);
  });

  it('decides 64-bit integers exactly, in the context and in an entity attribute', () => {
    const policiesText =
      'permit (principal, action == Shop::Action::"refund", resource) when { context.amount == 9007199254740993 && principal.big == 9223372036854775807 };';
    // Written as text: JSON.stringify of a JS number could not even hold these values.
    const entities = SHOP_ENTITIES.replace('"tier": 3', '"tier": 3, "big": 9223372036854775807');
    const text = (amount: string) => `{
      "policiesText": ${JSON.stringify(policiesText)},
      "schema": "shop.cedarschema",
      "entities": "big.entities.json",
      "requests": [{
        "principal": { "type": "Shop::Agent", "id": "a" }, "action": { "type": "Shop::Action", "id": "refund" },
        "resource": { "type": "Shop::Server", "id": "s" }, "context": { "amount": ${amount} }, "decision": "allow"
      }]
    }`;
    const extra = { '/ws/big.entities.json': entities };
    expect(runShop(text('9007199254740993'), {}, extra).results[0]).toMatchObject({
      passed: true,
      actual: { decision: 'allow' },
    });
    // One less: read with JSON.parse both would round to 2^53, and this would wrongly be allowed too.
    expect(runShop(text('9007199254740992'), {}, extra).results[0]).toMatchObject({
      passed: false,
      actual: { decision: 'deny' },
    });
    expect(JSON.parse('9007199254740993')).toBe(JSON.parse('9007199254740992'));
    // The same entities inline in the test file.
    const inline = text('9007199254740993').replace('"big.entities.json"', entities);
    expect(runShop(inline).results[0]).toMatchObject({ passed: true });
  });

  it('passes extension values (`__extn`) and `__entity` uids through to Cedar', () => {
    const policiesText =
      'permit (principal, action, resource) when { context.from.isInRange(ip("10.0.0.0/8")) && context.owner == Shop::Agent::"a" };';
    const run = runShop(
      shopTest(
        [
          request(
            'any',
            { from: { __extn: { fn: 'ip', arg: '10.1.2.3' } }, owner: { __entity: { type: 'Shop::Agent', id: 'a' } } },
            'allow',
            {
              validateRequest: false,
              action: { __entity: { type: 'Action', id: 'any' } },
            },
          ),
          request(
            'any',
            { from: { __extn: { fn: 'ip', arg: '192.168.0.1' } }, owner: { __entity: { type: 'Shop::Agent', id: 'a' } } },
            'deny',
            {
              validateRequest: false,
              action: { type: 'Action', id: 'any' },
            },
          ),
        ],
        { policies: undefined, policiesText, schema: undefined },
      ),
    );
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => r.passed)).toEqual([true, true]);
  });
});

describe('coverage', () => {
  const tests = shopTest([
    request('refund', { amount: 30 }, 'allow'),
    // The forbid decides; small-refunds is satisfied but overridden.
    request('refund', { amount: 80 }, 'deny'),
    request('read', {}, 'deny', { principal: { type: 'Shop::Agent', id: 'b' } }),
  ]);

  it('tells per policy whether a request made it determining or satisfied it', () => {
    const run = runShop(tests, { coverage: true });
    const [file] = coverageOf([run], true);
    expect(file.file).toBe('/ws/policies/shop.cedar');
    expect(file.policies.map((p) => [p.id, p.determining.map((t) => t.index), p.satisfied!.map((t) => t.index)])).toEqual([
      ['small-refunds', [0], [0, 1]],
      ['policy1', [1], [1]],
      ['tier-reads', [], []],
      ['never', [], []],
    ]);
    expect(file).toMatchObject({ determining: 2, satisfied: 2 });
    expect(file.policies[1].range.start.line).toBe(
      SHOP_POLICIES.split('\n').indexOf('forbid (principal, action == Shop::Action::"refund", resource)'),
    );
  });

  it("'satisfied' agrees with Cedar's partial evaluation with everything known", () => {
    const run = runShop(tests, { coverage: true });
    const policies = run.uses.map((u) => ({ id: u.policy.cedarId, text: u.policy.text, isTemplate: false }));
    const entities = JSON.parse(SHOP_ENTITIES);
    const requestsOf = JSON.parse(tests).requests as { principal: never; action: never; resource: never; context: never }[];
    requestsOf.forEach((r, index) => {
      const partial = cedarGateway.authorizePartial(policies, r, entities);
      if ('failure' in partial) throw new Error(JSON.stringify(partial.failure));
      const ours = run.uses.filter((u) => u.satisfied.includes(index)).map((u) => u.policy.cedarId);
      expect(ours.sort()).toEqual([...partial.satisfied].sort());
    });
  });

  it('merges a policy file tested by several test files, and leaves satisfied out unless asked', () => {
    const a = runShop(shopTest([request('read', {}, 'allow')]));
    const b = runShop(
      shopTest([request('refund', { amount: 1 }, 'allow')], { policies: ['policies/shop.cedar', 'policies/errors.cedar'] }),
    );
    const files = coverageOf([a, b], false);
    expect(files.map((f) => f.file)).toEqual(['/ws/policies/errors.cedar', '/ws/policies/shop.cedar']);
    const shop = files[1];
    expect(shop.policies.filter((p) => p.determining.length).map((p) => p.id)).toEqual(['small-refunds', 'tier-reads']);
    expect(shop.satisfied).toBeUndefined();
    expect(ERROR_POLICIES).toContain('big-tier');
  });
});
