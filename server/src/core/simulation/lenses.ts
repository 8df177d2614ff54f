import type { AgentBinding } from '../bindings/model';
import { policyScope, type ScopeConstraint } from '../cedar/scope';
import type { GovernanceService } from '../service';
import type { Range } from '../text/range';
import { uidText } from './uid';

/** What a simulation started from a lens is pre-filled with (an agent's name, a tool as `server/tool`). */
export interface SimulationTarget {
  agent?: string;
  tool?: string;
}

/** A `▶ Simulate` lens: where it sits and what it pre-fills. */
export interface SimulationLens {
  range: Range;
  target: SimulationTarget;
}

/** The read-only answers a lens needs: no Cedar call, only what the checks already hold. */
export type LensView = Pick<GovernanceService, 'tools' | 'bindings' | 'policyModel' | 'isRuleFile'>;

const toolLabel = (t: { name: string; server?: string }) => (t.server ? `${t.server}/${t.name}` : t.name);

/**
 * The `▶ Simulate` lenses of a file (SPEC §7): one on each tool it defines, on each agent binding
 * (its `name`) and on each policy (its effect keyword). A policy's lens pre-fills the agent and the
 * tool its scope names with `==`, when it names one; `in`, `is` and lists pre-fill nothing.
 */
export function simulationLenses(view: LensView, path: string): SimulationLens[] {
  const out: SimulationLens[] = [];
  for (const t of view.tools()) {
    if (t.file === path && t.nameKnown) out.push({ range: t.range, target: { tool: toolLabel(t) } });
  }
  for (const b of view.bindings()) {
    if (b.file === path && b.name) out.push({ range: b.nameRange, target: { agent: b.name } });
  }
  const model = view.isRuleFile(path) ? undefined : view.policyModel(path);
  for (const s of model?.statements ?? []) {
    if (!s.effect) continue;
    const scope = policyScope(s.text);
    out.push({
      range: model!.lines.range(s.effectStart, s.effectEnd),
      target: scope ? policyTarget(view, scope.principal, scope.action) : {},
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function policyTarget(view: LensView, principal: ScopeConstraint, action: ScopeConstraint): SimulationTarget {
  const target: SimulationTarget = {};
  if (principal.op === '==' && principal.entity) {
    const { type, id } = principal.entity;
    const agent = view.bindings().find((b: AgentBinding) => b.principal?.type === type && b.principal.id === id);
    // A principal no binding names is still a principal the simulation knows (the policy names it).
    target.agent = agent?.name || uidText(principal.entity);
  }
  if (action.op === '==' && action.entity) {
    // A tool's action is named after the tool (SPEC §11); two servers with one such tool are
    // left to the picker rather than guessed.
    const tools = view.tools().filter((t) => t.nameKnown && t.name === action.entity!.id);
    if (tools.length === 1) target.tool = toolLabel(tools[0]);
  }
  return target;
}
