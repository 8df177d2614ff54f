import { describe, expect, it, vi } from 'vitest';
import * as names from '../../../server/src/core/text/didYouMean';
import { BINDING, governed } from './workspaceFixture';

vi.mock('../../../server/src/core/text/didYouMean', async (original) => {
  const actual = await original<typeof names>();
  return { ...actual, didYouMean: vi.fn(actual.didYouMean) };
});

describe('AG003 on a binding that lists one unknown name thousands of times', () => {
  it('looks for the closest name once per distinct name (fuzz: a megabyte line of `ab, ab, …` held the thread on every check)', () => {
    const many = Array.from({ length: 1_000 }, () => '  - payments/create_refnd').join('\n');
    const binding = BINDING.replace('  - payments/approve_loan', `  - payments/approve_loan\n${many}`);
    vi.mocked(names.didYouMean).mockClear();
    const { rule } = governed({ 'agents/billing.agent.yaml': binding });
    const calls = vi.mocked(names.didYouMean).mock.calls.filter(([word]) => word === 'create_refnd');
    expect(calls).toHaveLength(1);
    // Every entry still gets its finding (the file's cap on findings aside), with the suggestion.
    const ag003 = rule('AG003');
    expect(ag003.length).toBeGreaterThan(100);
    expect(ag003[0].help).toContain('Did you mean "create_refund"');
  });
});
