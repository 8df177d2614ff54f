import { dirname } from 'node:path';
import type { WorkspaceTool } from '../agents/agentIndex';
import type { SchemaModel } from '../cedar/schemaModel';
import type { Settings } from '../settings';
import type { Finding } from '../findings/finding';
import type { PassContext } from '../passes/workspacePass';
import { evaluateRules } from './evaluate';
import type { CedarPool, EntityUid } from '../cedar/gateway';
import { accessSubjects, decidePairs, type PairInputs, prefetchPairs } from './facts/access';
import { toolAction, type ToolAction } from './facts/actions';
import { agentSubjects, credentialSubjects } from './facts/agents';
import { permitSubjects } from './facts/permits';
import { policyReferenceSubjects } from './facts/policyReferences';
import { bindingReferenceSubjects } from './facts/references';
import { secretSubjects } from './facts/secrets';
import { toolSubjects } from './facts/tools';
import { applyConfig } from './applyConfig';
import type { AgentBinding } from '../bindings/model';
import type { Subject } from './subject';

export { builtInRulePack, type RuleInfo, RulePack } from './rulePack';
export type { Subject } from './subject';

/** A tool's action, again only when the tool, its schema or its settings changed. */
const actionsOfTools = new WeakMap<WorkspaceTool, { schema?: SchemaModel; settings: Readonly<Settings>; action: ToolAction }>();
function toolActionOf(t: WorkspaceTool, schema: SchemaModel | undefined, settings: Readonly<Settings>): ToolAction {
  const known = actionsOfTools.get(t);
  if (known && known.schema === schema && known.settings === settings) return known.action;
  const fresh = toolAction(t, schema, settings);
  // A schema edit (a tool's description is in the derived one) rarely changes a tool's action:
  // the same object then, so what is remembered by it stays remembered.
  const action = known && sameAction(known.action, fresh) ? known.action : fresh;
  actionsOfTools.set(t, { schema, settings, action });
  return action;
}

/** Same uid, field by field (a thousand tools' actions are compared after each schema rebuild). */
function sameUid(a: EntityUid | undefined, b: EntityUid | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || '__entity' in a !== '__entity' in b) return false;
  const x = '__entity' in a ? a.__entity : a;
  const y = '__entity' in b ? b.__entity : b;
  return x.type === y.type && x.id === y.id;
}

function sameAction(a: ToolAction, b: ToolAction): boolean {
  return (
    a.key === b.key &&
    sameUid(a.action, b.action) &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g === b.groups[i]) &&
    sameUid(a.resource, b.resource)
  );
}

/** What the facts are computed from. */
function inputsOf(ctx: PassContext) {
  const agents = ctx.agents;
  const tools = agents.tools();
  const actions = new Map<WorkspaceTool, ToolAction>();
  // Tools of one folder share its schema and settings: looked up once per folder.
  const byDir = new Map<string, { schema: SchemaModel | undefined; settings: Readonly<Settings> }>();
  for (const t of tools) {
    if (!t.nameKnown) continue;
    const dir = dirname(t.file);
    let where = byDir.get(dir);
    if (!where) byDir.set(dir, (where = { schema: ctx.cedar.schemaFor(t.file), settings: ctx.settingsFor(t.file) }));
    actions.set(t, toolActionOf(t, where.schema, where.settings));
  }
  return {
    agents,
    tools,
    bindings: agents.bindings(),
    policySet: ctx.policySet(),
    entities: ctx.entities(),
    actions: stable(actions),
  };
}

let lastActions: Map<WorkspaceTool, ToolAction> | undefined;

/**
 * The tools' actions as the same map as last time when nothing in it changed: what is derived
 * from it (tool names by action, the pair questions) is then remembered by its identity.
 */
function stable(actions: Map<WorkspaceTool, ToolAction>): Map<WorkspaceTool, ToolAction> {
  const last = lastActions;
  if (last && last.size === actions.size && [...actions].every(([t, a]) => last.get(t) === a)) return last;
  return (lastActions = actions);
}

function pairInputs(ctx: PassContext, i: ReturnType<typeof inputsOf>): PairInputs {
  return {
    bindings: i.bindings,
    resolve: (ref) => i.agents.resolve(ref),
    actions: i.actions,
    policies: i.policySet.policies,
    entities: i.entities,
    withApproval: ctx.rules.roots().some((root) => ctx.rules.packFor(root).reads.names.has('withApproval')),
  };
}

/**
 * What the simulation and the access matrix decide from: the rules' own pair inputs (the same
 * tools' actions, policies and entities), the decision with an approval always asked.
 */
export function accessInputs(ctx: PassContext): { pairs: PairInputs; tools: WorkspaceTool[] } {
  const i = inputsOf(ctx);
  return {
    pairs: {
      bindings: i.bindings,
      resolve: (ref) => i.agents.resolve(ref),
      actions: i.actions,
      policies: i.policySet.policies,
      entities: i.entities,
      withApproval: true,
    },
    tools: i.tools,
  };
}

/**
 * The partial evaluations the access facts need and that are not remembered, as units of work
 * for the Cedar workers (the server's plan and the CLI run them before the findings are read).
 */
export function governancePrefetch(ctx: PassContext, pool: CedarPool): (() => Promise<void>)[] {
  const inputs = pairInputs(ctx, inputsOf(ctx));
  return prefetchPairs(inputs, (calls) => pool.partialBatch(inputs.entities, calls));
}

/**
 * A builder that remembers its last answer by its arguments' identity (engine values stay the
 * same objects while unchanged): a policy or tool edit then hands the binding-only subjects out
 * as the same objects, which the rule evaluation recognises without comparing their facts.
 */
function sameArgs<A extends unknown[], R>(build: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.result;
    const result = build(...args);
    last = { args, result };
    return result;
  };
}

const agentSubjectsOf = sameArgs(agentSubjects);
const secretSubjectsOf = sameArgs(secretSubjects);
const bindingReferencesOf = sameArgs((_tools: WorkspaceTool[], _bindings: AgentBinding[], agents: PassContext['agents']) =>
  bindingReferenceSubjects(agents),
);

/** Every subject of the workspace with its facts (the rules' input), and the pair decisions behind the access facts. */
export function governanceSubjects(ctx: PassContext): Subject[] {
  const inputs = inputsOf(ctx);
  const { agents, tools, bindings, policySet, entities, actions } = inputs;
  const pairs = decidePairs(pairInputs(ctx, inputs));
  return [
    ...agentSubjectsOf(bindings),
    ...credentialsPerFolder(ctx, bindings),
    ...secretSubjectsOf(bindings, agents.mcpConfigs(), agents.toolSecrets()),
    // Reads the tools and bindings only (and resolves references by them).
    ...bindingReferencesOf(tools, bindings, agents),
    ...policyReferenceSubjects({
      policies: policySet.policies,
      tools,
      actions,
      schemaFor: (file) => ctx.cedar.schemaFor(file),
      linesOf: (file) => ctx.cedar.policyModel(file)?.lines,
      entities,
    }),
    ...toolSubjects(tools, actions, policySet.policies, (t) => agents.agentsOf(t)),
    ...permitSubjects(policySet.policies, actions, bindings, entities),
    ...accessSubjects(pairs, (id) => policySet.byId(id), policySet.policies),
  ];
}

/** Credentials judged by the maximum TTL of their binding's folder (`maxCredentialTtl`). */
function credentialsPerFolder(ctx: PassContext, bindings: AgentBinding[]): Subject[] {
  const byRoot = groupBy(bindings, (b) => ctx.rules.rootOf(b.file));
  return [...byRoot].flatMap(([root, own]) => credentialsOf(root, own, ctx.rules.folder(root).governance));
}

/** A folder's credential subjects, by its bindings (their objects) and its options, as last made. */
const lastCredentials = new Map<string, { own: AgentBinding[]; options: unknown; subjects: Subject[] }>();
function credentialsOf(root: string, own: AgentBinding[], options: Parameters<typeof credentialSubjects>[1]): Subject[] {
  const last = lastCredentials.get(root);
  if (last && last.options === options && last.own.length === own.length && last.own.every((b, i) => b === own[i]))
    return last.subjects;
  const subjects = credentialSubjects(own, options);
  if (lastCredentials.size > 64) lastCredentials.clear();
  lastCredentials.set(root, { own, options, subjects });
  return subjects;
}

/**
 * The governance findings of the workspace, by file. Each workspace folder judges its subjects
 * with its own rule pack (the built-in rules and its rule files) and configuration (rules off or
 * re-levelled); the problems of its rule files go on them.
 */
export function runGovernance(ctx: PassContext): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  const add = (f: Finding) => {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  };
  // Subjects share a few files: each file's folder is looked up once.
  const roots = new Map<string, string>();
  const rootOf = (file: string) => roots.get(file) ?? roots.set(file, ctx.rules.rootOf(file)).get(file)!;
  const byRoot = groupBy(governanceSubjects(ctx), (s) => rootOf(s.file));
  for (const root of new Set([...ctx.rules.roots(), ...byRoot.keys()])) {
    const pack = ctx.rules.packFor(root);
    pack.problems.forEach(add);
    const subjects = byRoot.get(root);
    if (subjects) applyConfig(evaluateRules(pack, subjects), pack, ctx.rules.folder(root).config).forEach(add);
  }
  return byFile;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
