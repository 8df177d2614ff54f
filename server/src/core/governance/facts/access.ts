import { createHash } from 'node:crypto';
import type { WorkspaceTool } from '../../agents/agentIndex';
import type { AgentBinding, ToolRef } from '../../bindings/model';
import { cedarGateway, type CedarValue, type EntityUid, type PartialDecision } from '../../cedar/gateway';
import { policyScope } from '../../cedar/scope';
import { actionReach } from '../../cedar/slices';
import { Memo } from '../../engine/memo';
import type { RelatedInformation } from '../../findings/finding';
import type { WorkspacePolicy } from '../../policies/policySet';
import type { Subject } from '../subject';
import type { ToolAction } from './actions';

/** What Cedar says about one call, the tool's input unknown: for every input, for none, or it depends. */
export type Outcome = 'allow' | 'deny' | 'depends';

export interface CallDecision {
  outcome: Outcome;
  /** Policies (Cedar ids) that decide it whatever the input. */
  determining: string[];
  /** Set when partial evaluation could not decide (residuals on something other than the input). */
  undecided?: string;
  /** The residual conditions by policy (Cedar JSON), when it depends on the input. */
  residuals: Record<string, unknown>;
}

/** One bound agent × one tool it lists: Cedar's answer without an approval and with one. */
export interface PairDecision {
  binding: AgentBinding;
  ref: ToolRef;
  tool: WorkspaceTool;
  action: ToolAction;
  principal: EntityUid;
  without: CallDecision;
  withApproval: CallDecision;
}

const UNKNOWN_INPUT: CedarValue = { __extn: { fn: 'unknown', arg: 'input' } } as unknown as CedarValue;

/**
 * Decisions by the policies that can reach the action and the request: a policy edit re-decides
 * only the pairs whose actions the edited policy names (or every pair, for a policy whose action
 * scope is unconstrained); a binding or entities edit, the pairs it changes.
 */
const decisions = new Memo<string, CallDecision>('governance decisions by policy slice and request', 20_000);

/** The policies that may apply to a call of this action: the rest can never be determining for it. */
export function policiesReaching(policies: WorkspacePolicy[], action: ToolAction): WorkspacePolicy[] {
  const names = new Set([action.key, ...action.groups]);
  return policies.filter((p) => {
    const reach = actionReach(p.statement.text);
    return reach.unconstrained || reach.uids.some((u) => names.has(u));
  });
}

/** Of those, the ones whose principal scope can match this principal (`principal == X` matches only X). */
export function policiesFor(slice: WorkspacePolicy[], principal: { type: string; id: string }): WorkspacePolicy[] {
  return slice.filter((p) => {
    const e = policyScope(p.statement.text)?.principal;
    return e?.op !== '==' || !e.entity || (e.entity.type === principal.type && e.entity.id === principal.id);
  });
}

/**
 * Cedar's partial evaluation of one call (SPEC §6/§11): the tool's input unknown, the approval
 * absent or granted, the resource unknown when the tool's server is not known.
 */
export function decideCall(
  slice: WorkspacePolicy[],
  principal: EntityUid,
  action: ToolAction,
  entities: unknown[],
  entitiesKey: string,
  approval: boolean,
): CallDecision {
  const texts = slice
    .filter((p) => !p.statement.isTemplate)
    .map((p) => ({ id: p.cedarId, text: p.statement.text, isTemplate: false }));
  const key = createHash('sha1')
    .update(
      JSON.stringify([
        texts.map((t) => [t.id, t.text]),
        principal,
        action.action,
        action.resource ?? null,
        entitiesKey,
        approval,
      ]),
    )
    .digest('hex');
  const known = decisions.get(key);
  if (known) return known;
  const context: Record<string, CedarValue> = { input: UNKNOWN_INPUT };
  if (approval) context.approval = { granted: true };
  const answer = texts.length
    ? cedarGateway.authorizePartial(texts, { principal, action: action.action, resource: action.resource, context }, entities)
    : undefined;
  const decision = answer === undefined ? { outcome: 'deny' as const, determining: [], residuals: {} } : callDecision(answer);
  decisions.set(key, decision);
  return decision;
}

function callDecision(answer: PartialDecision | { failure: { message: string }[] }): CallDecision {
  if ('failure' in answer)
    return { outcome: 'depends', determining: [], residuals: {}, undecided: answer.failure.map((f) => f.message).join('; ') };
  if (answer.decision === 'allow' || answer.decision === 'deny')
    return { outcome: answer.decision, determining: answer.mustBeDetermining, residuals: {} };
  const residuals = Object.fromEntries(answer.nontrivialResiduals.map((id) => [id, answer.residuals[id]]));
  const unknowns = new Set([...JSON.stringify(residuals).matchAll(/"unknown":\[\{"Value":"([^"]*)"\}\]/g)].map((m) => m[1]));
  unknowns.delete('input');
  return {
    outcome: 'depends',
    determining: [],
    residuals,
    ...(unknowns.size
      ? {
          undecided: `it depends on the ${[...unknowns].join(' and ')}, which ${unknowns.size > 1 ? 'are' : 'is'} not known statically`,
        }
      : {}),
  };
}

/** Every bound agent × every tool it lists (with a principal): decided without and with an approval. */
export function decidePairs(
  bindings: AgentBinding[],
  resolve: (ref: ToolRef) => WorkspaceTool[],
  actions: Map<WorkspaceTool, ToolAction>,
  policies: WorkspacePolicy[],
  entities: unknown[],
): PairDecision[] {
  const entitiesKey = createHash('sha1').update(JSON.stringify(entities)).digest('hex');
  const slices = new Map<string, WorkspacePolicy[]>();
  const pairs: PairDecision[] = [];
  for (const binding of bindings) {
    const p = binding.principal;
    if (!p?.type || p.id === undefined) continue;
    const principal = { type: p.type, id: p.id };
    for (const ref of binding.tools) {
      for (const tool of resolve(ref)) {
        const action = actions.get(tool);
        if (!action) continue;
        let slice = slices.get(action.key);
        if (!slice) slices.set(action.key, (slice = policiesReaching(policies, action)));
        pairs.push({
          binding,
          ref,
          tool,
          action,
          principal,
          without: decideCall(policiesFor(slice, principal), principal, action, entities, entitiesKey, false),
          withApproval: decideCall(policiesFor(slice, principal), principal, action, entities, entitiesKey, true),
        });
      }
    }
  }
  return pairs;
}

/** One `Access` subject per pair (AG008, AG011): on the binding's entry, the determining permit at `@at("permit")`. */
export function accessSubjects(pairs: PairDecision[], policyById: (cedarId: string) => WorkspacePolicy | undefined): Subject[] {
  return pairs.map((pair): Subject => {
    const determining = pair.without.determining.map(policyById).filter((p): p is WorkspacePolicy => p?.effect === 'permit');
    const related: RelatedInformation[] = [
      {
        file: pair.tool.file,
        range: pair.tool.nameRange,
        message: `tool "${pair.tool.name}" (risk ${pair.tool.risk.level}: ${pair.tool.risk.reason})`,
      },
      { file: pair.binding.file, range: pair.ref.range, message: `agent "${pair.binding.name}" lists it` },
      ...determining.map((p) => ({ file: p.file, range: p.effectRange, message: `allowed by policy "${p.id}"` })),
    ];
    const first = determining[0];
    return {
      type: 'Access',
      id: `${pair.binding.file}#${pair.ref.range.start.line}:${pair.ref.range.start.character}#${pair.tool.file}#${pair.tool.name}`,
      attrs: {
        agent: pair.binding.name,
        tool: pair.tool.name,
        risk: pair.tool.risk.level,
        withoutApproval: pair.without.outcome,
        withApproval: pair.withApproval.outcome,
        undecided: !!pair.without.undecided,
        undecidedReason: pair.without.undecided ?? '',
        determining: determining.length ? determining.map((p) => `policy "${p.id}"`).join(', ') : 'no policy',
        sdkApproval: pair.tool.needsApproval === true || pair.tool.needsApproval === 'dynamic',
      },
      file: pair.binding.file,
      range: pair.ref.range,
      ...(first ? { at: { permit: { file: first.file, range: first.effectRange } } } : {}),
      related,
      agent: pair.binding.name,
      tool: pair.tool.name,
      ...(first ? { policy: first.id } : {}),
    };
  });
}
