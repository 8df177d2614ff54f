// Untested policies and the coverage of every policy file: what the editor marks and what the
// Test Explorer's coverage shows, from the runs of every test file of the workspace.
import { describe, expect, it } from 'vitest';
import { workspace } from './helpers';
import { request, SHOP_ENTITIES, SHOP_POLICIES, SHOP_SCHEMA, shopTest } from './requestTestsFixture';

const OTHER = '@id("other-read")\npermit (principal, action == Shop::Action::"read", resource) when { principal.tier == 7 };\n';

const files = (tests: string) => ({
  'shop.cedarschema': SHOP_SCHEMA,
  'policies/shop.cedar': SHOP_POLICIES,
  'policies/other.cedar': OTHER,
  'shop.cedarentities.json': SHOP_ENTITIES,
  'tests/shop.cedartests.json': tests,
});

describe('untested policies', () => {
  it('are the policies no request makes determining or satisfies, in every policy file', () => {
    // A refund of 80: `small-refunds` decides it; the forbid (policy1) is satisfied (80 > 50), and denies.
    const { service } = workspace(files(shopTest([request('refund', { amount: 80 }, 'deny')])));
    expect(service.untestedPolicies().map((p) => [p.file, p.id, p.effect])).toEqual([
      ['/ws/policies/other.cedar', 'other-read', 'permit'],
      ['/ws/policies/shop.cedar', 'tier-reads', 'permit'],
      ['/ws/policies/shop.cedar', 'never', 'permit'],
    ]);
    // A read by agent `a` (tier 3) exercises `tier-reads`.
    service.changeDocument(
      '/ws/tests/shop.cedartests.json',
      shopTest([request('refund', { amount: 80 }, 'deny'), request('read', {}, 'allow')]),
    );
    expect(service.untestedPolicies().map((p) => p.id)).toEqual(['other-read', 'never']);
  });

  it('the coverage of the workspace lists the policy files no test names, all uncovered', () => {
    const { service } = workspace(files(shopTest([request('read', {}, 'allow')])));
    const { coverage } = service.requestTestCoverage();
    expect(coverage.map((f) => f.file)).toEqual(['/ws/policies/shop.cedar']);
    const all = service.workspaceTestCoverage(coverage);
    expect(all.map((f) => [f.file, f.determining, f.satisfied, f.policies.length])).toEqual([
      ['/ws/policies/other.cedar', 0, 0, 1],
      ['/ws/policies/shop.cedar', 1, 1, 4],
    ]);
    expect(all[0].policies[0]).toMatchObject({ id: 'other-read', determining: [], satisfied: [], range: { start: { line: 0 } } });
  });
});
