import type { WorkspaceTool } from '../agents/agentIndex';
import type { Finding } from '../findings/finding';
import type { PassContext } from '../passes/workspacePass';
import { evaluateRules } from './evaluate';
import type { CedarPool } from '../cedar/gateway';
import { accessSubjects, decidePairs, prefetchPairs } from './facts/access';
import { toolAction, type ToolAction } from './facts/actions';
import { agentSubjects, credentialSubjects } from './facts/agents';
import { permitSubjects } from './facts/permits';
import { bindingReferenceSubjects } from './facts/references';
import { secretSubjects } from './facts/secrets';
import { toolSubjects } from './facts/tools';
import { governanceOptions } from './options';
import { builtInRulePack } from './rulePack';
import type { Subject } from './subject';

export { builtInRulePack, type RuleInfo, RulePack } from './rulePack';
export type { Subject } from './subject';

/** What the facts are computed from. */
function inputsOf(ctx: PassContext) {
  const agents = ctx.agents;
  const tools = agents.tools();
  const actions = new Map<WorkspaceTool, ToolAction>();
  for (const t of tools) if (t.nameKnown) actions.set(t, toolAction(t, ctx.cedar.schemaFor(t.file), ctx.settingsFor(t.file)));
  return { agents, tools, bindings: agents.bindings(), policySet: ctx.policySet(), entities: ctx.entities(), actions };
}

/**
 * The partial evaluations the access facts need and that are not remembered, as units of work
 * for the Cedar workers (the server's plan and the CLI run them before the findings are read).
 */
export function governancePrefetch(ctx: PassContext, pool: CedarPool): (() => Promise<void>)[] {
  const { agents, bindings, policySet, entities, actions } = inputsOf(ctx);
  return prefetchPairs(
    bindings,
    (ref) => agents.resolve(ref),
    actions,
    policySet.policies,
    entities,
    (calls) => pool.partialBatch(entities, calls),
  );
}

/** Every subject of the workspace with its facts (the rules' input), and the pair decisions behind the access facts. */
export function governanceSubjects(ctx: PassContext): Subject[] {
  const { agents, tools, bindings, policySet, entities, actions } = inputsOf(ctx);
  const pairs = decidePairs(bindings, (ref) => agents.resolve(ref), actions, policySet.policies, entities);
  return [
    ...agentSubjects(bindings),
    ...credentialSubjects(bindings, governanceOptions()),
    ...secretSubjects(bindings, agents.mcpConfigs()),
    ...bindingReferenceSubjects(agents),
    ...toolSubjects(tools, actions, policySet.policies, (t) => agents.agentsOf(t)),
    ...permitSubjects(policySet.policies, tools, actions, bindings, entities),
    ...accessSubjects(pairs, (id) => policySet.byId(id)),
  ];
}

/** The governance findings of the workspace, by file. */
export function runGovernance(ctx: PassContext): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const f of evaluateRules(builtInRulePack(), governanceSubjects(ctx)))
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  return byFile;
}
