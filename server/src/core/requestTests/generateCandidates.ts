import type { CallDecision, PairDecision } from '../governance/facts/access';
import { defaultContext } from '../simulation/defaultContext';
import { plainUid } from '../simulation/uid';
import type { SimulationWorkspace } from '../simulation/workspace';
import { type Assignment, valuesSatisfying, withInput } from './residualInput';
import type { WrittenRequest } from './testFileText';

/** A request the generator will run, before its expectation is known. */
export interface Candidate {
  request: Omit<WrittenRequest, 'expected'>;
  /** With an approval granted: kept only where its answer differs from the request without. */
  approval: boolean;
  /** The pair it is about (for what is skipped). */
  agent: string;
  tool: string;
}

/** A pair no request can be written for, and why. */
export interface SkippedPair {
  agent: string;
  tool: string;
  reason: string;
}

/** What `context.approval` holds when an approval is granted (as the access matrix asks it). */
const APPROVAL = { granted: true };

export const toolLabel = (p: PairDecision) => (p.tool.server ? `${p.tool.server}/${p.tool.name}` : p.tool.name);

/**
 * The residual policy whose condition the request's input should make hold: one of the focused
 * policies when the decision depends on them (a test of that policy then exercises it), else the
 * first permit (the path to "allow" is what a reviewer pins down first); without, then with an
 * approval.
 */
function residualToSatisfy(pair: PairDecision, focus: Set<string> | undefined): unknown {
  const decisions = [pair.without, pair.withApproval].filter((d): d is CallDecision => !!d);
  for (const d of decisions) for (const [id, residual] of Object.entries(d.residuals)) if (focus?.has(id)) return residual;
  for (const d of decisions)
    for (const residual of Object.values(d.residuals))
      if ((residual as { effect?: string } | undefined)?.effect === 'permit') return residual;
  return undefined;
}

/** The resource of the call: the tool's server, else what the condition compares it with, else one of the action's resource type named after the tool. */
function resourceOf(pair: PairDecision, assignments: Assignment[], ws: SimulationWorkspace) {
  const known = plainUid(pair.action.resource);
  if (known) return known;
  for (const a of assignments) if ('resource' in a) return a.resource;
  // No policy's answer depends on it (it would be in a residual): any resource of the right type decides the same.
  const type = ws.schemaFor(pair.tool.file)?.actions.get(pair.action.key)?.resourceTypes[0];
  return type ? { type, id: pair.tool.name } : undefined;
}

/**
 * The requests of one bound agent × tool: its call without an approval, and with one granted,
 * the context pre-filled from the tool's input schema as the editor does, with the values the
 * chosen residual condition needs.
 */
export function pairCandidates(
  pair: PairDecision,
  ws: SimulationWorkspace,
  focus: Set<string> | undefined,
): { candidates: Candidate[] } | { skipped: SkippedPair } {
  const agent = pair.binding.name;
  const tool = toolLabel(pair);
  const principal = plainUid(pair.principal);
  const action = plainUid(pair.action.action);
  if (!principal || !action) return { skipped: { agent, tool, reason: 'its principal or action is not an entity uid' } };
  const residual = residualToSatisfy(pair, focus);
  const assignments = residual ? valuesSatisfying(residual) : [];
  const resource = resourceOf(pair, assignments, ws);
  if (!resource)
    return {
      skipped: {
        agent,
        tool,
        reason: `the server of "${tool}" is not known and the schema declares no resource type for its action: write this request by hand`,
      },
    };
  let base: Record<string, unknown>;
  try {
    base = JSON.parse(defaultContext(pair.tool, pair.action, ws.schemaFor(pair.tool.file))) as Record<string, unknown>;
  } catch {
    base = {};
  }
  const input = base.input && typeof base.input === 'object' ? (base.input as Record<string, unknown>) : {};
  const context = { ...base, input: withInput(input, assignments) };
  const request = { principal, action, resource };
  return {
    candidates: [
      {
        request: { description: `${agent} calls ${tool} without an approval`, ...request, context },
        approval: false,
        agent,
        tool,
      },
      {
        request: {
          description: `${agent} calls ${tool} with an approval granted`,
          ...request,
          context: { ...context, approval: APPROVAL },
        },
        approval: true,
        agent,
        tool,
      },
    ],
  };
}

/** Whether one of these policies (Cedar ids) decides the pair, or its decision depends on one, without or with an approval. */
export function decidedBy(pair: PairDecision, ids: Set<string>): boolean {
  return [pair.without, pair.withApproval].some(
    (d) => !!d && (d.determining.some((id) => ids.has(id)) || Object.keys(d.residuals).some((id) => ids.has(id))),
  );
}
