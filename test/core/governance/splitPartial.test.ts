import { describe, expect, it } from 'vitest';
import { CedarGateway } from '../../../server/src/core/cedar/gateway';
import type { PartialCall } from '../../../server/src/core/cedar/gateway/workerProtocol';
import { rng } from '../../fuzz/mutate';

/*
 * The split evaluation (preparsed sets for the policies that read no context: those that leave
 * the action free, and those the action's agents share; partial evaluation for the rest) must
 * decide exactly as one partial evaluation of the whole set: the same decision, and when
 * decided, the same determining policies.
 */

const FIXED = [
  (n: number) => `forbid (principal is A::Agent, action, resource) when { principal.level > ${n % 7} };`,
  (n: number) => `permit (principal, action, resource) when { principal.level >= ${n % 7} };`,
  () => `forbid (principal == A::Agent::"a", action, resource is A::Server);`,
  () => `permit (principal in A::Team::"t", action, resource);`,
  () => `permit (principal == A::Agent::"b", action, resource);`,
];
/** Read no context, but name the action (an action group's permits, a team's forbid). */
const SHARED = [
  (n: number) => `permit (principal is A::Agent, action in [Action::"t"], resource) when { principal.level >= ${n % 7} };`,
  (n: number) => `forbid (principal in A::Team::"t", action == Action::"t", resource) when { principal.level < ${n % 7} };`,
  () => `permit (principal, action == Action::"t", resource is A::Server);`,
];
const REST = [
  (n: number) =>
    `permit (principal == A::Agent::"a", action == Action::"t", resource) when { context.input.amount <= ${n * 100} };`,
  (n: number) =>
    `forbid (principal, action == Action::"t", resource) when { context.input.amount > ${n * 100} } unless { context has approval && context.approval.granted };`,
  () => `permit (principal, action == Action::"t", resource);`,
  () => `forbid (principal, action, resource) when { context.input.flag };`,
  () => `permit (principal, action, resource) when { action == Action::"t" };`,
  () => `permit (principal, action == Action::"t", resource) when { context has approval && context.approval.granted };`,
];

const effectOf = (text: string) => (text.startsWith('permit') ? 'permit' : 'forbid');

describe('split partial evaluation', () => {
  it('decides 400 random policy sets exactly as one partial evaluation does', () => {
    const g = new CedarGateway();
    const r = rng(20261207);
    let decided = 0;
    for (let k = 0; k < 400; k++) {
      const pick = (list: ((n: number) => string)[], max: number) =>
        Array.from({ length: Math.floor(r() * (max + 1)) }, () => list[Math.floor(r() * list.length)](Math.floor(r() * 10)));
      const fixed = pick(FIXED, 3).map((text, i) => ({ id: `f${i}`, text, isTemplate: false }));
      const rest = pick(REST, 3).map((text, i) => ({ id: `r${i}`, text, isTemplate: false }));
      const shared = pick(SHARED, 2).map((text, i) => ({ id: `s${i}`, text, isTemplate: false }));
      const entities = [
        {
          uid: { type: 'A::Agent', id: 'a' },
          attrs: r() < 0.8 ? { level: Math.floor(r() * 7) } : {},
          parents: r() < 0.5 ? [{ type: 'A::Team', id: 't' }] : [],
        },
      ];
      const context: Record<string, unknown> = { input: { __extn: { fn: 'unknown', arg: 'input' } } };
      if (r() < 0.5) context.approval = { granted: true };
      const request = {
        principal: { type: 'A::Agent', id: 'a' },
        action: { type: 'Action', id: 't' },
        resource: { type: 'A::Server', id: 's' },
        context: context as PartialCall['request']['context'],
      };
      const all = [...fixed, ...shared, ...rest];
      const whole = g.authorizePartial(all, request, entities);
      const split = g.authorizeSplit(
        {
          policies: rest,
          request,
          fixed: [
            { id: `set-${k}`, policies: fixed },
            { id: `shared-${k}`, policies: shared },
          ],
          effects: Object.fromEntries(all.map((p) => [p.id, effectOf(p.text)])),
        },
        entities,
      );
      if ('failure' in whole || 'failure' in split) throw new Error(`case ${k}: a failure`);
      const where = `case ${k}: ${all.map((p) => `${p.id}: ${p.text}`).join(' | ')}; ${JSON.stringify(entities[0])} ${JSON.stringify(context)}`;
      expect(split.decision, where).toBe(whole.decision);
      if (whole.decision) {
        decided++;
        expect([...split.mustBeDetermining].sort(), where).toEqual([...whole.mustBeDetermining].sort());
      }
    }
    // The cases must cover both outcomes and undecided ones, or the comparison proves little.
    expect(decided).toBeGreaterThan(100);
    expect(decided).toBeLessThan(390);
  });
});
