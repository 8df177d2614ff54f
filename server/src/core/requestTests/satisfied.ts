import { cedarGateway, type Decision } from '../cedar/gateway';
import type { RequestCall } from './model';
import type { PreparedTestFile } from './prepareTestFile';

/**
 * The policies whose conditions a request satisfied, for coverage. Cedar's reasons already are
 * all of them when it allows (every satisfied permit, no forbid) or denies with no reason; when
 * forbids deny, they are every satisfied forbid, and the permits they overrode are the reasons
 * of the same request against the permits alone (one more preparsed call, only then).
 */
export function satisfiedBy(answer: Decision, ready: NonNullable<PreparedTestFile['ready']>, call: RequestCall): string[] {
  if (answer.decision === 'allow' || !answer.reasons.length) return answer.reasons;
  const permits = ready.policies.policies.filter((p) => p.effect === 'permit');
  if (!permits.length) return answer.reasons;
  const id = `${ready.policies.id}-permits`;
  if (
    cedarGateway.preparsePolicySet(
      id,
      permits.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false })),
    ).length
  )
    return answer.reasons;
  const alone = cedarGateway.authorize(
    id,
    { principal: call.principal, action: call.action, resource: call.resource, context: call.context as never },
    ready.entities,
    ready.schema?.name,
    call.validateRequest,
  );
  return 'failure' in alone ? answer.reasons : [...answer.reasons, ...alone.reasons];
}
