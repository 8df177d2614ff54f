import type { Decision, PartialDecision } from './types';

/**
 * Cedar's decision over two parts of one policy set, from a concrete answer for the part that
 * cannot depend on the unknowns (`fixed`: policies that read no context and whose scope and
 * conditions leave the action free, answered by a preparsed set in ~0.1 ms) and a partial
 * answer for the rest (parsed again on every call: what partial evaluation costs). Exactly
 * Cedar's rules: a satisfied forbid denies; else a satisfied permit allows unless a forbid may
 * still hold (then it depends); else a permit that may hold makes it depend; else deny.
 * `test/core/governance/splitPartial.test.ts` compares it with one partial call over the whole set.
 */
export function combineSplit(
  fixed: Decision | undefined,
  rest: PartialDecision | undefined,
  effectOf: (id: string) => 'permit' | 'forbid' | undefined,
): PartialDecision {
  const forbidsHeld = fixed?.decision === 'deny' ? fixed.reasons : [];
  const restSatisfied = rest?.satisfied ?? [];
  const residualIds = rest?.nontrivialResiduals ?? [];
  const answer = (
    decision: 'allow' | 'deny' | undefined,
    determining: string[],
    residualIdsKept: string[] = [],
  ): PartialDecision => ({
    decision,
    satisfied: [...(fixed?.reasons ?? []), ...restSatisfied],
    errored: [...(fixed?.errors.map((e) => e.policyId) ?? []), ...(rest?.errored ?? [])],
    mayBeDetermining: determining,
    mustBeDetermining: determining,
    residuals: Object.fromEntries(residualIdsKept.map((id) => [id, rest!.residuals[id]])),
    nontrivialResiduals: residualIdsKept,
  });
  if (forbidsHeld.length) return answer('deny', forbidsHeld);
  const restForbids = restSatisfied.filter((id) => effectOf(id) === 'forbid');
  if (restForbids.length) return answer('deny', restForbids);
  const permitsHeld = [
    ...(fixed?.decision === 'allow' ? fixed.reasons : []),
    ...restSatisfied.filter((id) => effectOf(id) === 'permit'),
  ];
  const forbidsMaybe = residualIds.filter((id) => effectOf(id) === 'forbid');
  const permitsMaybe = residualIds.filter((id) => effectOf(id) === 'permit');
  if (permitsHeld.length) return forbidsMaybe.length ? answer(undefined, [], forbidsMaybe) : answer('allow', permitsHeld);
  if (permitsMaybe.length) return answer(undefined, [], residualIds);
  return answer('deny', []);
}

/**
 * One concrete answer for the union of disjoint policy sets, each answered alone: what Cedar
 * says over all of them. A satisfied forbid anywhere denies, with every satisfied forbid as a
 * reason (a set that allowed has none); else a satisfied permit anywhere allows, with every one;
 * else deny without reasons. Errors are every set's.
 */
export function mergeDecided(parts: Decision[]): Decision {
  const errors = parts.flatMap((p) => p.errors);
  const forbids = parts.flatMap((p) => (p.decision === 'deny' ? p.reasons : []));
  if (forbids.length) return { decision: 'deny', reasons: forbids, errors };
  const permits = parts.flatMap((p) => (p.decision === 'allow' ? p.reasons : []));
  return permits.length ? { decision: 'allow', reasons: permits, errors } : { decision: 'deny', reasons: [], errors };
}
