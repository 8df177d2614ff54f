// Request tests through the service: test files are checked files whose findings are what cannot
// run (never a failing expectation), following the files they name; the facade's methods for the editor.
import { describe, expect, it } from 'vitest';
import { posOf, workspace } from './helpers';
import { request, SHOP_ENTITIES, SHOP_POLICIES, SHOP_SCHEMA, shopTest } from './requestTestsFixture';

const files = (tests: string) => ({
  'shop.cedarschema': SHOP_SCHEMA,
  'policies/shop.cedar': SHOP_POLICIES,
  'shop.cedarentities.json': SHOP_ENTITIES,
  'tests/shop.cedartests.json': tests,
});

const TEST = '/ws/tests/shop.cedartests.json';

describe('request tests in the workspace', () => {
  it('a test file is checked: what cannot run is a finding on its range, a failing expectation is not', () => {
    const text = shopTest([request('read', {}, 'deny'), request('reed', {}, 'allow')]);
    const { service } = workspace(files(text));
    expect(service.checkedFiles()).toContain(TEST);
    const findings = service.findings(TEST);
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['agentgov-tests', 'error', 'The schema declares no action `Shop::Action::"reed"`; did you mean `Shop::Action::"read"`?'],
    ]);
    // Request 0 fails (Cedar allows the read) but that is the Test Explorer's business.
    const run = service.runRequestTests(TEST);
    expect(run.results.map((r) => r.passed)).toEqual([false, false]);
  });

  it('its findings follow the files it names: a policy file created, broken, opened in the editor', () => {
    const text = shopTest([request('read', {}, 'allow')], { policies: 'policies/later.cedar' });
    const { service } = workspace(files(text));
    expect(service.findings(TEST).map((f) => f.message)).toEqual([
      'No policy file `policies/later.cedar`: looked for tests/policies/later.cedar, policies/later.cedar.',
    ]);
    const affected = service.openDocument('/ws/policies/later.cedar', SHOP_POLICIES);
    expect(affected).toContain(TEST);
    expect(service.findings(TEST)).toEqual([]);
    expect(service.runRequestTests(TEST).results[0]).toMatchObject({ passed: true });
    service.changeDocument('/ws/policies/later.cedar', 'permit (principal, action, resource) when { 1 + };');
    expect(service.findings(TEST).map((f) => f.message)).toEqual([
      expect.stringMatching(/^`policies\/later.cedar` does not parse/),
    ]);
    const f = service.findings(TEST)[0];
    expect(f.related?.[0].file).toBe('/ws/policies/later.cedar');
  });

  it('answers the editor: the test files, their items with ranges, a run of some requests, coverage', () => {
    const text = shopTest([request('read', {}, 'allow'), request('refund', { amount: 80 }, 'deny')]);
    const { service } = workspace(files(text));
    expect(service.requestTestFiles()).toEqual([TEST]);
    const items = service.requestTests(TEST);
    expect(items.problems).toEqual([]);
    expect(items.file!.requests.map((r) => [r.index, r.description, r.range.start.line])).toEqual([
      [0, 'read {}', posOf(text, '"description": "read {}"').line - 1],
      [1, 'refund {"amount":80}', posOf(text, '"description": "refund').line - 1],
    ]);
    const one = service.runRequestTests(TEST, { only: [1] });
    expect(one.results).toEqual([expect.objectContaining({ index: 1, passed: true, range: items.file!.requests[1].range })]);
    const { coverage } = service.requestTestCoverage();
    expect(coverage[0].file).toBe('/ws/policies/shop.cedar');
    expect(coverage[0].policies.map((p) => [p.id, p.determining.length, p.satisfied!.length])).toEqual([
      ['small-refunds', 0, 1],
      ['policy1', 1, 1],
      ['tier-reads', 1, 1],
      ['never', 0, 0],
    ]);
  });

  it('a JSON file the workspace keeps no text of is read from the disk (a corpus-style entities.json)', () => {
    const text = shopTest([request('read', {}, 'allow')], { entities: 'data/entities.json' });
    const { service } = workspace({ ...files(text), 'data/entities.json': SHOP_ENTITIES });
    expect(service.findings(TEST)).toEqual([]);
    expect(service.runRequestTests(TEST).results[0].passed).toBe(true);
  });
});
