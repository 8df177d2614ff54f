import type { WorkspaceTool } from '../agents/agentIndex';
import type { SchemaModel } from '../cedar/schemaModel';
import { accessInputs } from '../governance';
import { policyScope } from '../cedar/scope';
import { type PairInputs, reachIndexOf } from '../governance/facts/access';
import type { PassContext } from '../passes';
import type { WorkspacePolicySet } from '../policies/policySet';
import type { RequestCatalog } from './resolveRequest';
import type { Uid } from './uid';

/** What a simulation reads of the workspace: the governance rules' own inputs, and the schemas. */
export interface SimulationWorkspace extends RequestCatalog {
  pairs: PairInputs;
  policySet: WorkspacePolicySet;
  entities: unknown[];
  schemaFor(file: string): SchemaModel | undefined;
  /** A policy file, whose schema applies when neither a tool nor an agent names one. */
  anchorFile?: string;
}

/** The entities' uids (`{uid: {type, id}}`), skipping what is not shaped like one. */
function uidsOf(entities: unknown[]): Uid[] {
  const out: Uid[] = [];
  for (const e of entities) {
    const uid = (e as { uid?: { type?: unknown; id?: unknown } } | null)?.uid;
    if (typeof uid?.type === 'string' && typeof uid.id === 'string') out.push({ type: uid.type, id: uid.id });
  }
  return out;
}

/** The workspace as the governance pass sees it, read now (each part is an engine query). */
export function simulationWorkspace(ctx: PassContext): SimulationWorkspace {
  const { pairs, tools } = accessInputs(ctx);
  const policySet = ctx.policySet();
  const named = tools.filter((t: WorkspaceTool) => pairs.actions.has(t));
  return {
    pairs,
    bindings: pairs.bindings,
    tools: named,
    actionOf: (t) => pairs.actions.get(t),
    resolve: (ref) => ctx.agents.resolve(ref).filter((t) => pairs.actions.has(t)),
    policyActions: [...reachIndexOf(pairs.policies).byUid.keys()],
    entityUids: uidsOf(pairs.entities),
    policyPrincipals: pairs.policies.flatMap((p) => {
      const scope = policyScope(p.statement.text)?.principal;
      return scope?.op === '==' && scope.entity ? [scope.entity] : [];
    }),
    policySet,
    entities: pairs.entities,
    schemaFor: (file) => ctx.cedar.schemaFor(file),
    anchorFile: policySet.policies[0]?.file,
  };
}
