import type { Decision } from '../cedar/gateway';
import type { Expectation, Outcome, RequestResult, TestPolicy } from './model';

/** The names a test may call a policy by (SPEC §11): its `@id`, its position `policyN`, or its id in the set. */
function namesOf(cedarId: string, byCedarId: Map<string, TestPolicy>): string[] {
  const p = byCedarId.get(cedarId);
  return p ? [p.cedarId, p.id, p.positional] : [cedarId];
}

/**
 * Whether the policies a test names are the ones Cedar answered, as sets: each answered policy is
 * named (either way), and each name names an answered policy.
 */
export function samePolicies(expected: string[], actualIds: string[], byCedarId: Map<string, TestPolicy>): boolean {
  const names = actualIds.map((id) => namesOf(id, byCedarId));
  return names.every((n) => n.some((name) => expected.includes(name))) && expected.every((e) => names.some((n) => n.includes(e)));
}

/** Cedar's answer as the test sees it, and what differs from the expectation. */
export function compare(
  expected: Expectation,
  answer: Decision,
  byCedarId: Map<string, TestPolicy>,
): Pick<RequestResult, 'passed' | 'actual' | 'mismatches'> {
  const actual: Outcome = {
    decision: answer.decision,
    reason: [...answer.reasons].sort(),
    errors: [...new Set(answer.errors.map((e) => e.policyId))].sort(),
  };
  const mismatches: NonNullable<RequestResult['mismatches']> = [];
  if (expected.decision !== actual.decision) mismatches.push('decision');
  if (expected.reason && !samePolicies(expected.reason, actual.reason, byCedarId)) mismatches.push('reason');
  if (expected.errors && !samePolicies(expected.errors, actual.errors, byCedarId)) mismatches.push('errors');
  return { passed: !mismatches.length, actual, ...(mismatches.length ? { mismatches } : {}) };
}
