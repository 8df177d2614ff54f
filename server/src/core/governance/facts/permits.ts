import type { WorkspaceTool } from '../../agents/agentIndex';
import type { AgentBinding } from '../../bindings/model';
import { policyScope } from '../../cedar/scope';
import { actionReach } from '../../cedar/slices';
import type { PolicyStatement } from '../../cedar/policyFile';
import { perObject } from '../../engine/memo';
import type { WorkspacePolicy } from '../../policies/policySet';
import type { Subject } from '../subject';
import type { ToolAction } from './actions';

/**
 * One `Permit` subject per permit that can reach a tool's action (AG009, AG010). Scope and
 * conditions decide together (SPEC §11): a bare `principal`, or `principal is T`, with no
 * condition on the principal, is any principal; `action` bare with no condition on the action is
 * every action. Read from the policy's scope and conditions as Cedar's grammar has them.
 */
export function permitSubjects(
  policies: WorkspacePolicy[],
  actions: Map<WorkspaceTool, ToolAction>,
  bindings: AgentBinding[],
  entities: unknown[],
): Subject[] {
  const toolsByKey = toolsByKeyOf(actions);
  const agents = agentsOf(bindings, entities);
  const out: Subject[] = [];
  for (const p of policies) {
    if (p.effect !== 'permit' || p.statement.isTemplate) continue;
    // An edit makes a new policy list, but the other files' statements stay the same objects:
    // their subjects are handed out again while the tools and agents they were judged by are.
    const known = lastPermits.get(p.statement);
    if (
      known &&
      known.toolsByKey === toolsByKey &&
      known.agents === agents &&
      known.file === p.file &&
      known.id === p.id &&
      known.cedarId === p.cedarId
    ) {
      if (known.subject) out.push(known.subject);
      continue;
    }
    const subject = permitSubject(p, toolsByKey, agents);
    lastPermits.set(p.statement, { toolsByKey, agents, file: p.file, id: p.id, cedarId: p.cedarId, subject });
    if (subject) out.push(subject);
  }
  return out;
}

type ToolsByKey = Map<string, string[]> & { every?: string[] };
interface Agents {
  types: Set<string>;
  groups: Set<string>;
}

const lastPermits = new WeakMap<
  PolicyStatement,
  { toolsByKey: ToolsByKey; agents: Agents; file: string; id: string; cedarId: string; subject?: Subject }
>();

/**
 * Tool names by the action keys (and groups) they have, once per set of tool actions, and the
 * same map as last time when its content is: editing a tool file makes new tools with the same
 * names, and every permit would be judged again for nothing.
 */
let lastToolsByKey: ToolsByKey | undefined;
const toolsByKeyOf = perObject((actions: Map<WorkspaceTool, ToolAction>): ToolsByKey => {
  const fresh = namesByKey(actions);
  const last = lastToolsByKey;
  if (last && last.size === fresh.size && [...fresh].every(([k, names]) => sameNames(last.get(k), names))) return last;
  return (lastToolsByKey = fresh);
});

function sameNames(a: string[] | undefined, b: string[]): boolean {
  return !!a && a.length === b.length && a.every((x, i) => x === b[i]);
}

function namesByKey(actions: Map<WorkspaceTool, ToolAction>): ToolsByKey {
  const names = new Map<string, Set<string>>();
  for (const [t, a] of actions) {
    if (!t.nameKnown) continue;
    for (const k of [a.key, ...a.groups]) {
      const set = names.get(k);
      if (set) set.add(t.name);
      else names.set(k, new Set([t.name]));
    }
  }
  return new Map([...names].map(([k, set]) => [k, [...set]]));
}

/** The principal types and groups of the bound agents, once per bindings and entities. */
const agentsByEntities = new WeakMap<AgentBinding[], { entities: unknown[]; agents: Agents }>();
function agentsOf(bindings: AgentBinding[], entities: unknown[]): Agents {
  const known = agentsByEntities.get(bindings);
  if (known?.entities === entities) return known.agents;
  const agents = {
    types: new Set(bindings.map((b) => b.principal?.type).filter((t): t is string => !!t)),
    groups: groupsOfAgents(bindings, entities),
  };
  agentsByEntities.set(bindings, { entities, agents });
  return agents;
}

function permitSubject(p: WorkspacePolicy, toolsByKey: ToolsByKey, agents: Agents): Subject | undefined {
  const { reach, scope } = scopeOf(p.statement);
  const reached = reach.unconstrained
    ? (toolsByKey.every ??= [...new Set([...toolsByKey.values()].flat())])
    : [...new Set(reach.uids.flatMap((u) => toolsByKey.get(u) ?? []))];
  if (!reached.length || !scope) return undefined;
  const pr = scope.principal;
  const principalFree = (pr.op === 'All' || (pr.op === 'is' && !pr.entity)) && !scope.conditionsMention.principal;
  const named = pr.entity;
  const forAgent =
    (pr.op === 'is' && !!pr.entityType && agents.types.has(pr.entityType)) ||
    (!!named && (agents.types.has(named.type) || agents.groups.has(`${named.type}::${JSON.stringify(named.id)}`)));
  return {
    type: 'Permit',
    id: `${p.file}#${p.cedarId}`,
    attrs: {
      id: p.id,
      anyPrincipal: principalFree,
      anyOfType: pr.op === 'is',
      forAgent,
      anyAction: scope.action.op === 'All' && !scope.conditionsMention.action,
      tools: reach.unconstrained ? 'every tool' : toolList(reached),
    },
    file: p.file,
    range: p.effectRange,
    policy: p.id,
  };
}

/** A statement's action reach and scope: the same object until its file changes. */
const scopeOf = perObject((s: PolicyStatement) => ({ reach: actionReach(s.text), scope: policyScope(s.text) }));

function toolList(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `"${n}"`);
  return names.length > 3
    ? `${shown.join(', ')} and ${names.length - 3} more tools`
    : `tool${names.length > 1 ? 's' : ''} ${shown.join(', ')}`;
}

/** Every group a bound agent is in, transitively, from the workspace's entities (`Team::"support"`). */
function groupsOfAgents(bindings: AgentBinding[], entities: unknown[]): Set<string> {
  const parents = new Map<string, string[]>();
  for (const e of entities) {
    const uid = (e as { uid?: { type?: unknown; id?: unknown } })?.uid;
    const ps = (e as { parents?: unknown })?.parents;
    if (!uid || typeof uid.type !== 'string' || typeof uid.id !== 'string' || !Array.isArray(ps)) continue;
    parents.set(
      `${uid.type}::${JSON.stringify(uid.id)}`,
      ps
        .filter((x): x is { type: string; id: string } => typeof x?.type === 'string' && typeof x?.id === 'string')
        .map((x) => `${x.type}::${JSON.stringify(x.id)}`),
    );
  }
  const groups = new Set<string>();
  const queue = bindings
    .map((b) => b.principal)
    .filter((p) => p?.type && p.id !== undefined)
    .map((p) => `${p!.type}::${JSON.stringify(p!.id)}`);
  while (queue.length) {
    for (const g of parents.get(queue.shift()!) ?? []) if (!groups.has(g)) (groups.add(g), queue.push(g));
  }
  return groups;
}
