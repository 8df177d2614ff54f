import { createHash } from 'node:crypto';
import type { WorkspaceTool } from '../../agents/agentIndex';
import type { AgentBinding, ToolRef } from '../../bindings/model';
import { cedarGateway, type CedarValue, type EntityUid, type PartialDecision } from '../../cedar/gateway';
import type { PartialAnswer, PartialCall } from '../../cedar/gateway/workerProtocol';
import { policyScope } from '../../cedar/scope';
import { tokenize } from '../../cedar/lexer';
import type { PolicyStatement } from '../../cedar/policyFile';
import { actionReach } from '../../cedar/slices';
import { refinePartial } from '../../cedar/residual';
import { Memo, perObject } from '../../engine/memo';
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
  /** Absent when not asked: no rule of the workspace reads it (`PairInputs.withApproval`). */
  withApproval?: CallDecision;
}

const UNKNOWN_INPUT: CedarValue = { __extn: { fn: 'unknown', arg: 'input' } } as unknown as CedarValue;

/**
 * Decisions by the policies that can reach the action and the request: a policy edit re-decides
 * only the pairs whose actions the edited policy names (or every pair, for a policy whose action
 * scope is unconstrained); a binding or entities edit, the pairs it changes.
 */
const decisions = new Memo<string, CallDecision>('governance decisions by policy slice and request', 20_000);

/** The policies of a set by the action uids they name, and those whose action scope is unconstrained. */
interface ReachIndex {
  unconstrained: WorkspacePolicy[];
  isUnconstrained: Set<WorkspacePolicy>;
  byUid: Map<string, WorkspacePolicy[]>;
  position: Map<WorkspacePolicy, number>;
}

/** Made once per policy set (its list is a new array whenever a policy changes). */
const reachIndexes = new WeakMap<WorkspacePolicy[], ReachIndex>();

export function reachIndexOf(policies: WorkspacePolicy[]): ReachIndex {
  let index = reachIndexes.get(policies);
  if (index) return index;
  index = { unconstrained: [], isUnconstrained: new Set(), byUid: new Map(), position: new Map() };
  policies.forEach((p, i) => {
    index!.position.set(p, i);
    const reach = actionReach(p.statement.text);
    if (reach.unconstrained) {
      index!.unconstrained.push(p);
      index!.isUnconstrained.add(p);
    }
    for (const u of reach.uids) {
      const list = index!.byUid.get(u);
      if (list) list.push(p);
      else index!.byUid.set(u, [p]);
    }
  });
  reachIndexes.set(policies, index);
  return index;
}

/** The policies that may apply to a call of this action: the rest can never be determining for it. */
export function policiesReaching(policies: WorkspacePolicy[], action: ToolAction): WorkspacePolicy[] {
  const index = reachIndexOf(policies);
  const found = new Set(index.unconstrained);
  for (const k of [action.key, ...action.groups]) for (const p of index.byUid.get(k) ?? []) found.add(p);
  return [...found].sort((a, b) => index.position.get(a)! - index.position.get(b)!);
}

/** By statement object: the same until its file changes, and cheaper to look up than its text. */
const principalScopeOf = perObject((s: PolicyStatement) => policyScope(s.text)?.principal);

/** Of those, the ones whose principal scope can match this principal (`principal == X` matches only X). */
export function policiesFor(slice: WorkspacePolicy[], principal: { type: string; id: string }): WorkspacePolicy[] {
  return slice.filter((p) => {
    const e = principalScopeOf(p.statement);
    return e?.op !== '==' || !e.entity || (e.entity.type === principal.type && e.entity.id === principal.id);
  });
}

/** What one partial evaluation asks Cedar, and the key its answer is remembered by. */
interface CallQuestion {
  key: string;
  call: () => PartialCall;
}

/**
 * Cedar's partial evaluation of one call (SPEC §6/§11): the tool's input unknown, the approval
 * absent or granted, the resource unknown when the tool's server is not known. Undefined when
 * Cedar need not be asked: with no permit that can match, Cedar denies by default.
 */
function question(
  slice: WorkspacePolicy[],
  principal: EntityUid,
  action: ToolAction,
  entitiesKey: string,
  approval: boolean,
): CallQuestion | undefined {
  if (!slice.some((p) => p.effect === 'permit' && !p.statement.isTemplate)) return undefined;
  const usable = slice.filter((p) => !p.statement.isTemplate);
  const key = JSON.stringify([
    usable.map((p) => [p.cedarId, serialOf(p.statement)]),
    principal,
    action.action,
    action.resource ?? null,
    entitiesKey,
    approval,
  ]);
  // Made only when Cedar is asked: most questions of an edit are answered from memory.
  const call = (): PartialCall => {
    const text = (p: WorkspacePolicy) => ({ id: p.cedarId, text: codeOf(p.statement), isTemplate: false });
    // Policies that read no context decide the same for every input: preparsed sets answer them
    // (with the request's principal, action and resource known), and only the rest is parsed for
    // partial evaluation. Two sets, so that each is parsed once for many calls: those that also
    // leave the action free (the same for every tool), and those that name no principal in their
    // scope (the same for every agent of the tool; action groups' permits). A policy for this one
    // agent without a context condition goes with the rest: a set of its own would be parsed for
    // this call alone.
    const decided = action.resource ? usable.filter(readsNoContext) : [];
    const fixed = decided.filter(isFixed);
    const shared = decided.filter((p) => !isFixed(p) && !namesOnePrincipal(p));
    const policies = usable.filter((p) => !fixed.includes(p) && !shared.includes(p)).map(text);
    const sets = [fixed, shared]
      .filter((part) => part.length)
      .map((part) => {
        const texts = part.map(text);
        return { id: fixedSetId(part, texts), policies: texts };
      });
    const context: Record<string, CedarValue> = { input: UNKNOWN_INPUT };
    if (approval) context.approval = { granted: true };
    return {
      policies,
      request: { principal, action: action.action, resource: action.resource, context },
      ...(sets.length ? { fixed: sets, effects: Object.fromEntries(usable.map((p) => [p.cedarId, p.effect ?? 'permit'])) } : {}),
    };
  };
  return { key, call };
}

/**
 * A small number naming a statement's code (its text without comments), made once per statement
 * object: keys made of them need no hashing of policy texts on every edit, and a file's edit,
 * which parses every statement of the file again, keeps the keys of the statements it did not
 * change (by object, each edit re-decided every pair the file's policies reach).
 */
let nextSerial = 0;
const serialsByCode = new Memo<string, number>('policy code serials', 200_000);
const serialOf = perObject((statement: PolicyStatement) => serialsByCode.getOr(codeOf(statement), () => nextSerial++));

/**
 * A statement without its comments, as Cedar is asked about it once per pair: a megabyte of
 * comment in one policy cost every pair's partial evaluation a megabyte to parse (the CLI
 * fuzzer's workspace took 11 s). Made once per statement object.
 */
const codeOf = perObject((statement: PolicyStatement): string => {
  const text = statement.text;
  const comments = tokenize(text).filter((t) => t.kind === 'comment');
  if (!comments.length) return text;
  const parts: string[] = [];
  let from = 0;
  for (const c of comments) {
    parts.push(text.slice(from, c.start), '\n');
    from = c.end;
  }
  parts.push(text.slice(from));
  return parts.join('');
});

/**
 * Reads no context, and neither its scope nor its conditions constrain the action. By statement
 * object: the same until its file changes, and cheaper to look up than its text.
 */
const isFixedStatement = perObject(
  (s: PolicyStatement) =>
    !/\bcontext\b/.test(s.text) && actionReach(s.text).unconstrained && policyScope(s.text)?.conditionsMention.action === false,
);
const isFixed = (p: WorkspacePolicy) => isFixedStatement(p.statement);

const readsNoContextStatement = perObject((s: PolicyStatement) => !/\bcontext\b/.test(s.text));
const readsNoContext = (p: WorkspacePolicy) => readsNoContextStatement(p.statement);

/** A scope `principal == …`: the policy is about one principal (its own set would serve one agent). */
const namesOnePrincipalStatement = perObject((s: PolicyStatement) => policyScope(s.text)?.principal.op === '==');
const namesOnePrincipal = (p: WorkspacePolicy) => namesOnePrincipalStatement(p.statement);

/**
 * The preparsed set of fixed policies is named by its content; looked up by the statements'
 * identities, so an edit does not join and hash their texts once per pair.
 */
const fixedIds = new Map<string, string>();
function fixedSetId(fixed: WorkspacePolicy[], texts: { id: string; text: string }[]): string {
  const identity = fixed.map((p) => `${p.cedarId}\u0000${serialOf(p.statement)}`).join('\u0001');
  let id = fixedIds.get(identity);
  if (!id) {
    if (fixedIds.size > 1000) fixedIds.clear();
    const content = texts.map((t) => `${t.id}\u0000${t.text}`).join('\u0001');
    fixedIds.set(identity, (id = `fixed-${createHash('sha1').update(content).digest('hex')}`));
  }
  return id;
}

const DEFAULT_DENY: CallDecision = { outcome: 'deny', determining: [], residuals: {} };

/** The decision of a question: remembered, else asked of Cedar in this thread. */
function decide(q: CallQuestion | undefined, entities: unknown[]): CallDecision {
  if (!q) return DEFAULT_DENY;
  let d = decisions.get(q.key);
  if (!d) decisions.set(q.key, (d = callDecision(cedarGateway.authorizeSplit(q.call(), entities))));
  return d;
}

/** The questions of each action × principal, with the slice they were made from. */
const questionCache = new Map<
  string,
  { sliceKey: string; without?: CallQuestion; withApproval?: CallQuestion; approvalMatters: boolean }
>();

/** What the agent × tool decisions are made from. */
export interface PairInputs {
  bindings: AgentBinding[];
  resolve: (ref: ToolRef) => WorkspaceTool[];
  actions: Map<WorkspaceTool, ToolAction>;
  policies: WorkspacePolicy[];
  entities: unknown[];
  /**
   * Whether the decision with an approval granted is asked too: only when a rule reads it (no
   * built-in rule does; the access matrix will), since it is a third of Cedar's partial work.
   */
  withApproval: boolean;
}

/** Each action's slice of a policy set, made once per set (the workers' prefetch and the pass both ask). */
const slicesOf = perObject((_policies: WorkspacePolicy[]) => new Map<string, ActionSlice>());

interface ActionSlice {
  /** Changes exactly when the slice's policies (ids and content) do. */
  key: string;
  /** The policies, made only when a question must be asked again. */
  policies: () => WorkspacePolicy[];
}

const policyKey = (p: WorkspacePolicy) => `${p.cedarId}:${serialOf(p.statement)}`;

/** The key of a set's unconstrained policies: part of every action's slice, so made once per set. */
const unconstrainedKeyOf = perObject((policies: WorkspacePolicy[]) =>
  reachIndexOf(policies).unconstrained.map(policyKey).join(','),
);

/**
 * An action's slice, keyed by the set's unconstrained policies and the ones naming the action or
 * its groups: a policy edit re-keys a thousand actions by their few own policies, without
 * listing the twenty unconstrained ones into each (they were a third of such an edit's time).
 */
function actionSlice(policies: WorkspacePolicy[], action: ToolAction): ActionSlice {
  const index = reachIndexOf(policies);
  const own = new Set<WorkspacePolicy>();
  for (const k of [action.key, ...action.groups])
    for (const p of index.byUid.get(k) ?? []) if (!index.isUnconstrained.has(p)) own.add(p);
  const ordered = own.size > 1 ? [...own].sort((a, b) => index.position.get(a)! - index.position.get(b)!) : [...own];
  let list: WorkspacePolicy[] | undefined;
  return {
    key: `${unconstrainedKeyOf(policies)}|${ordered.map(policyKey).join(',')}`,
    policies: () => (list ??= policiesReaching(policies, action)),
  };
}

interface PairQuestion {
  binding: AgentBinding;
  ref: ToolRef;
  tool: WorkspaceTool;
  action: ToolAction;
  principal: EntityUid;
  without?: CallQuestion;
  withApproval?: CallQuestion;
  approvalMatters: boolean;
}

/**
 * The questions of the inputs last asked about: an edit asks twice (the workers' prefetch, then
 * the pass), with the same bindings, policies and entities (engine values) and tool actions.
 */
const lastQuestions = new Map<boolean, { inputs: PairInputs; out: PairQuestion[] }>();

/** By identity: the pass hands out the same actions map while no tool's action changed (`stable`, index.ts). */
function sameInputs(a: PairInputs, b: PairInputs): boolean {
  return (
    a.bindings === b.bindings &&
    a.policies === b.policies &&
    a.entities === b.entities &&
    a.actions === b.actions &&
    a.withApproval === b.withApproval
  );
}

/** Every bound agent × every tool it lists (with a principal), and its questions to Cedar. */
function pairQuestions(inputs: PairInputs): PairQuestion[] {
  // One entry per approval flag: the check (without) and the access matrix (with) alternate.
  const last = lastQuestions.get(inputs.withApproval);
  if (last && sameInputs(last.inputs, inputs)) return last.out;
  const out = askPairs(inputs);
  lastQuestions.set(inputs.withApproval, { inputs, out });
  return out;
}

/**
 * A binding's questions, with what they were asked from: the same policy set and entities, and
 * the same tools with the same actions for its entries, give the same questions (an edit of a
 * tool file re-asks only for the bindings that list its tools).
 */
const bindingQuestions = {
  true: new WeakMap<
    AgentBinding,
    { policies: WorkspacePolicy[]; entities: unknown[]; resolved: unknown[]; out: PairQuestion[] }
  >(),
  false: new WeakMap<
    AgentBinding,
    { policies: WorkspacePolicy[]; entities: unknown[]; resolved: unknown[]; out: PairQuestion[] }
  >(),
};

function askPairs(inputs: PairInputs): PairQuestion[] {
  const { bindings, resolve, actions, policies, entities, withApproval } = inputs;
  const out: PairQuestion[] = [];
  for (const binding of bindings) {
    const resolved = binding.tools.flatMap((ref) => resolve(ref).flatMap((tool) => [tool, actions.get(tool)]));
    const known = bindingQuestions[`${withApproval}`].get(binding);
    if (
      known &&
      known.policies === policies &&
      known.entities === entities &&
      known.resolved.length === resolved.length &&
      known.resolved.every((x, i) => x === resolved[i])
    ) {
      for (const q of known.out) out.push(q);
      continue;
    }
    const own = askBinding(binding, inputs);
    bindingQuestions[`${withApproval}`].set(binding, { policies, entities, resolved, out: own });
    for (const q of own) out.push(q);
  }
  return out;
}

function askBinding(binding: AgentBinding, { resolve, actions, policies, entities, withApproval }: PairInputs): PairQuestion[] {
  const entitiesKey = keyOfEntities(entities);
  const slices = slicesOf(policies);
  const out: PairQuestion[] = [];
  const p = binding.principal;
  if (!p?.type || p.id === undefined) return out;
  const principal = { type: p.type, id: p.id };
  for (const ref of binding.tools) {
    for (const tool of resolve(ref)) {
      const action = actions.get(tool);
      if (!action) continue;
      let slice = slices.get(action.key);
      if (!slice) slices.set(action.key, (slice = actionSlice(policies, action)));
      // An edit changes the slices of the actions it names: the other pairs keep their questions.
      const resource = action.resource ? JSON.stringify(action.resource) : '';
      const cacheKey = `${action.key}\u0000${principal.type}\u0000${principal.id}\u0000${resource}\u0000${entitiesKey}\u0000${withApproval}`;
      let cached = questionCache.get(cacheKey);
      if (cached?.sliceKey !== slice.key) {
        const mine = policiesFor(slice.policies(), principal);
        // Without a policy that can read the approval, granting one changes nothing.
        const approvalMatters = withApproval && mine.some((x) => /\bapproval\b/.test(x.statement.text));
        if (questionCache.size > 50_000) questionCache.clear();
        questionCache.set(
          cacheKey,
          (cached = {
            sliceKey: slice.key,
            without: question(mine, principal, action, entitiesKey, false),
            withApproval: approvalMatters ? question(mine, principal, action, entitiesKey, true) : undefined,
            approvalMatters,
          }),
        );
      }
      out.push({
        binding,
        ref,
        tool,
        action,
        principal,
        without: cached.without,
        withApproval: cached.withApproval,
        approvalMatters: cached.approvalMatters,
      });
    }
  }
  return out;
}

/** Once per entities list (the engine keeps the same list until an entities file changes): the pass and the workers' prefetch both ask. */
const keyOfEntities = perObject((entities: unknown[]) => createHash('sha1').update(JSON.stringify(entities)).digest('hex'));

/** Every bound agent × every tool it lists (with a principal): decided without and with an approval. */
export function decidePairs(inputs: PairInputs): PairDecision[] {
  return pairQuestions(inputs).map((q) => {
    const without = decide(q.without, inputs.entities);
    const withApproval = inputs.withApproval
      ? q.approvalMatters
        ? decide(q.withApproval, inputs.entities)
        : without
      : undefined;
    // The same pair decided the same: the same object, so its subject is remembered by it.
    const known = lastDecisions.get(q);
    if (known && known.without === without && known.withApproval === withApproval) return known;
    const pair: PairDecision = {
      binding: q.binding,
      ref: q.ref,
      tool: q.tool,
      action: q.action,
      principal: q.principal,
      without,
      ...(withApproval ? { withApproval } : {}),
    };
    lastDecisions.set(q, pair);
    return pair;
  });
}

const lastDecisions = new WeakMap<PairQuestion, PairDecision>();

/**
 * Asks the Cedar workers, in batches, the questions whose answers are not remembered yet, so the
 * rules' pass finds every decision made (`plan` runs this before the findings are read).
 */
export function prefetchPairs(
  inputs: PairInputs,
  batch: (calls: PartialCall[]) => Promise<PartialAnswer[]>,
  batchSize = 48,
): (() => Promise<void>)[] {
  const missing = new Map<string, PartialCall>();
  for (const q of pairQuestions(inputs))
    for (const x of [q.without, q.withApproval])
      if (x && !decisions.has(x.key) && !missing.has(x.key)) missing.set(x.key, x.call());
  const all = [...missing];
  const units: (() => Promise<void>)[] = [];
  for (let i = 0; i < all.length; i += batchSize) {
    const chunk = all.slice(i, i + batchSize);
    units.push(async () => {
      const answers = await batch(chunk.map(([, call]) => call));
      chunk.forEach(([key], j) => decisions.set(key, callDecision(answers[j])));
    });
  }
  return units;
}

function callDecision(raw: PartialDecision | { failure: { message: string }[] }): CallDecision {
  if ('failure' in raw)
    return { outcome: 'depends', determining: [], residuals: {}, undecided: raw.failure.map((f) => f.message).join('; ') };
  // Residuals that never hold (`x && false`) would leave a decided call "depending" on them.
  const answer = refinePartial(raw);
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

/**
 * Whether residual conditions read the request's context: the input is an unknown named
 * `input`, anything else of it is a `context` variable (an absent approval is already decided).
 */
const readsContext = perObject((residuals: Record<string, unknown>): boolean => {
  // By residuals object: a decision is remembered, and so is this about it.
  const text = JSON.stringify(residuals);
  return text.includes('"Var":"context"') || /"unknown":\[\{"Value":"input"\}\]/.test(text);
});

/** One `Access` subject per pair (AG008, AG011): on the binding's entry, the determining permit at `@at("permit")`. */
export function accessSubjects(
  pairs: PairDecision[],
  policyById: (cedarId: string) => WorkspacePolicy | undefined,
  /** What `policyById` reads (the policy list): a pair's subject is kept while it is the same. */
  policies: object,
): Subject[] {
  return pairs.map((pair) => {
    const known = lastAccess.get(pair);
    if (known?.policies === policies) return known.subject;
    const subject = accessSubject(pair, policyById);
    lastAccess.set(pair, { policies, subject });
    return subject;
  });
}

const lastAccess = new WeakMap<PairDecision, { policies: object; subject: Subject }>();

function accessSubject(pair: PairDecision, policyById: (cedarId: string) => WorkspacePolicy | undefined): Subject {
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
  // Undecided, but on nothing the context holds: the permits left are the ones that allow it
  // whenever the static part matches, whatever the input and without an approval.
  const contextFree = pair.without.outcome === 'depends' && !readsContext(pair.without.residuals);
  if (contextFree)
    for (const id of Object.keys(pair.without.residuals)) {
      const p = policyById(id);
      if (p?.effect === 'permit' && !determining.includes(p)) {
        determining.push(p);
        related.push({ file: p.file, range: p.effectRange, message: `allows it whatever the context: policy "${p.id}"` });
      }
    }
  const first = determining[0];
  return {
    type: 'Access',
    id: `${pair.binding.file}#${pair.ref.range.start.line}:${pair.ref.range.start.character}#${pair.tool.file}#${pair.tool.name}`,
    attrs: {
      agent: pair.binding.name,
      tool: pair.tool.name,
      risk: pair.tool.risk.level,
      withoutApproval: pair.without.outcome,
      withApproval: pair.withApproval?.outcome ?? 'not asked',
      undecided: !!pair.without.undecided,
      undecidedReason: pair.without.undecided ?? '',
      determining: determining.length ? determining.map((p) => `policy "${p.id}"`).join(', ') : 'no policy',
      sdkApproval: pair.tool.needsApproval === true || pair.tool.needsApproval === 'dynamic',
      contextFree,
    },
    file: pair.binding.file,
    range: pair.ref.range,
    ...(first ? { at: { permit: { file: first.file, range: first.effectRange } } } : {}),
    related,
    agent: pair.binding.name,
    tool: pair.tool.name,
    ...(first ? { policy: first.id } : {}),
  };
}
