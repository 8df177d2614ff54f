import { Memo } from '../engine/memo';
import { declHash, shortHash as hash } from './declHash';
import type { SchemaJson } from './gateway';
import { codeTokens, type Token, unquote } from './lexer';
import { scopeParts } from './scope';
import type { SchemaModel } from './schemaModel';

/*
 * Validation by slices. Cedar's validator builds, for each policy, the request environments its
 * scope allows by walking every action of the schema, so one call costs about
 * (policies × actions); and a policy's result depends only on the actions it can reach. A
 * policy is therefore validated against the schema cut down to: every entity and common type,
 * the actions it names anywhere (scope or conditions), the members of the groups it names, and
 * the groups those belong to. A policy whose scope leaves `action` unconstrained, or that names
 * an action the schema does not declare (Cedar's "did you mean" then lists all actions), gets
 * the whole schema. `test/core/slices.test.ts` proves the findings identical to the unsliced
 * answer over generated workspaces.
 */

/** What a statement can reach: every action, or the named ones. */
export interface ActionReach {
  unconstrained: boolean;
  /** Action uids named anywhere in the statement, as `Ns::Action::"id"`. */
  uids: string[];
}

/** The part of a schema a statement is validated against. */
export interface SchemaSlice {
  /** Changes exactly when the slice's content changes. */
  key: string;
  /** `undefined`: the whole schema. */
  actions?: string[];
}

const reachMemo = new Memo<string, ActionReach>('action reach by statement text', 50_000);

/** The actions a parsed statement names, and whether its scope constrains `action` at all. */
export function actionReach(text: string): ActionReach {
  return reachMemo.getOr(text, () => computeReach(codeTokens(text)));
}

/** An action a statement names (`Ns::Action::"id"`), with its UTF-16 offsets in the statement. */
export interface ActionRef {
  /** `Ns::Action::"id"`: the form action reach and the tools' actions are keyed by. */
  uid: string;
  id: string;
  start: number;
  end: number;
}

/** Every action literal among a statement's tokens, in order. */
export function actionRefsIn(tokens: Token[]): ActionRef[] {
  const refs: ActionRef[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (
      tokens[i].kind !== 'ident' ||
      tokens[i].text !== 'Action' ||
      tokens[i + 1].text !== '::' ||
      tokens[i + 2].kind !== 'string'
    )
      continue;
    let start = i;
    while (start >= 2 && tokens[start - 1].text === '::' && tokens[start - 2].kind === 'ident') start -= 2;
    const path = tokens
      .slice(start, i + 1)
      .filter((t) => t.kind === 'ident')
      .map((t) => t.text);
    const id = unquote(tokens[i + 2].text);
    refs.push({ uid: `${path.join('::')}::${JSON.stringify(id)}`, id, start: tokens[start].start, end: tokens[i + 2].end });
  }
  return refs;
}

function computeReach(tokens: Token[]): ActionReach {
  const uids = new Set(actionRefsIn(tokens).map((r) => r.uid));
  return { unconstrained: !scopeConstrainsAction(tokens), uids: [...uids].sort() };
}

/** Whether the scope's second part is more than the bare word `action`. */
function scopeConstrainsAction(tokens: Token[]): boolean {
  const scope = scopeParts(tokens);
  if (!scope) return false;
  const action = scope.parts[1] ?? [];
  return !(action.length === 1 && action[0].text === 'action');
}

interface SliceIndex {
  /** The schema without annotations: what validation reads. */
  json: SchemaJson;
  /** Hash of the whole of `json`. */
  wholeKey: string;
  /** Hash of everything but the actions. */
  baseKey: string;
  /** Action uid → hash of its declaration. */
  actionHash: Map<string, string>;
  /** Group uid → actions that are directly `in` it. */
  members: Map<string, string[]>;
  /** Action uid → [namespace, id] in the schema JSON. */
  where: Map<string, [string, string]>;
  /** What the group hierarchy is: slices of two schemas with the same one include the same actions. */
  membersKey: string;
  /** Slices made so far, by reach (reaches are remembered by statement text, so shared). */
  slices: WeakMap<ActionReach, SchemaSlice>;
  /** The last schema's index with the same base and hierarchy, whose slices may be kept. */
  previous?: SliceMemory;
}

/** What a later schema needs of an earlier one's index to keep its slices. */
type SliceMemory = Pick<SliceIndex, 'baseKey' | 'membersKey' | 'actionHash' | 'slices'>;

const indexes = new WeakMap<SchemaModel, SliceIndex>();

/**
 * The last two schemas' slices (not their JSON), held weakly by reach. A schema rebuilt after one
 * tool's edit differs in one action: every slice without it keeps its key, and reusing it (a
 * check of its few actions' hashes) saves computing two thousand slices again on every such edit.
 */
const recent: SliceMemory[] = [];
const RECENT = 2;

/** Objects whose keys are names (of namespaces, types, actions, attributes), not declaration fields. */
const NAME_MAPS = new Set(['entityTypes', 'actions', 'commonTypes', 'attributes']);

/**
 * A schema JSON value without its `annotations` (doc comments, tool descriptions): they are
 * metadata the validator never reads, so a description edit must not make every policy that
 * reaches the action, or the whole schema, validate again. Parts without annotations are shared,
 * not copied.
 */
function withoutAnnotations(value: unknown, isNameMap: boolean): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((v, i) => {
      const w = withoutAnnotations(v, false);
      if (w !== v) (copy ??= [...value])[i] = w;
    });
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const k in obj) {
    if (!isNameMap && k === 'annotations') {
      copy ??= { ...obj };
      delete copy[k];
      continue;
    }
    const v = obj[k];
    const w =
      !isNameMap && k === 'actions' && v && typeof v === 'object' && !Array.isArray(v)
        ? actionsWithoutAnnotations(v as Record<string, unknown>)
        : withoutAnnotations(v, !isNameMap && NAME_MAPS.has(k));
    if (w !== v) (copy ??= { ...obj })[k] = w;
  }
  return copy ?? value;
}

/** Each declaration's answer by object: a rebuilt schema keeps most of its declarations' objects. */
const strippedDecls = new WeakMap<object, unknown>();
function actionsWithoutAnnotations(actions: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const id in actions) {
    const decl = actions[id];
    let w = decl && typeof decl === 'object' ? strippedDecls.get(decl) : undefined;
    if (w === undefined) {
      w = withoutAnnotations(decl, false);
      if (decl && typeof decl === 'object') strippedDecls.set(decl, w);
    }
    if (w !== decl) (copy ??= { ...actions })[id] = w;
  }
  return copy ?? actions;
}

/** The schema JSON validation is run against: the model's, without annotations. */
export function validationJson(model: SchemaModel): SchemaJson {
  return indexOf(model).json;
}

function indexOf(model: SchemaModel): SliceIndex {
  let idx = indexes.get(model);
  if (idx) return idx;
  const json = withoutAnnotations(model.json, true) as SchemaJson;
  const base: Record<string, unknown> = {};
  const actionHash = new Map<string, string>();
  const where = new Map<string, [string, string]>();
  for (const [ns, def] of Object.entries(json)) {
    const { actions, ...rest } = def;
    // Whether `actions` is there at all is part of the schema too.
    base[ns] = [rest, actions !== undefined];
    for (const [id, decl] of Object.entries(actions ?? {})) {
      const uid = `${ns ? `${ns}::` : ''}Action::${JSON.stringify(id)}`;
      actionHash.set(uid, declHash(decl));
      where.set(uid, [ns, id]);
    }
  }
  const members = new Map<string, string[]>();
  for (const a of model.actions.values()) for (const g of a.memberOf) members.set(g, [...(members.get(g) ?? []), a.uid]);
  const baseKey = hash(JSON.stringify(base));
  const membersKey = JSON.stringify([...members]);
  idx = {
    json,
    // Every part of the schema is in the base or an action: the whole is the hash of their hashes.
    wholeKey: hash(`${baseKey}|${[...actionHash].map(([uid, h]) => `${uid}#${h}`).join('|')}`),
    baseKey,
    actionHash,
    members,
    membersKey,
    where,
    slices: new WeakMap(),
    // The same hierarchy: the same actions per reach (a new entity type changes only the base).
    previous:
      recent.find((r) => r.baseKey === baseKey && r.membersKey === membersKey) ?? recent.find((r) => r.membersKey === membersKey),
  };
  indexes.set(model, idx);
  const { json: _json, where: _where, previous: _previous, ...memory } = idx;
  recent.unshift(memory);
  if (recent.length > RECENT) recent.pop();
  return idx;
}

/** The slice of `model` a statement with this reach is validated against. */
export function sliceFor(model: SchemaModel, reach: ActionReach): SchemaSlice {
  const idx = indexOf(model);
  let slice = idx.slices.get(reach);
  if (!slice) idx.slices.set(reach, (slice = keptSlice(idx, reach) ?? computeSlice(model, idx, reach)));
  return slice;
}

/** The previous schema's slice for this reach, if every action in it is declared the same here. */
function keptSlice(idx: SliceIndex, reach: ActionReach): SchemaSlice | undefined {
  const before = idx.previous?.slices.get(reach);
  if (!before?.actions) return undefined;
  for (const a of before.actions) if (idx.actionHash.get(a) !== idx.previous!.actionHash.get(a)) return undefined;
  if (idx.previous!.baseKey === idx.baseKey) return before;
  // Only the base changed (types, not actions): the same actions under the new base's key.
  const part = actionsPart.get(before)!;
  const slice = { key: `${idx.baseKey}|${part}`, actions: before.actions };
  actionsPart.set(slice, part);
  return slice;
}

/** The actions part of a slice's key (after the base's hash), to re-key it under another base. */
const actionsPart = new WeakMap<SchemaSlice, string>();

function computeSlice(model: SchemaModel, idx: SliceIndex, reach: ActionReach): SchemaSlice {
  // `action in []` names no action, and Cedar checks such a policy differently against a schema without actions.
  if (reach.unconstrained || !reach.uids.length || reach.uids.some((u) => !idx.actionHash.has(u)))
    return { key: `whole:${idx.wholeKey}` };
  const included = new Set<string>();
  // Members of a named group (transitively): `action in Group` reaches each of them.
  const down = [...reach.uids];
  while (down.length) {
    const uid = down.pop()!;
    if (included.has(uid)) continue;
    included.add(uid);
    down.push(...(idx.members.get(uid) ?? []));
  }
  // The groups each included action belongs to, so the slice's hierarchy is complete.
  const up = [...included];
  while (up.length) {
    for (const g of model.actions.get(up.pop()!)?.memberOf ?? []) {
      // A group the index cannot place (an unusual `type`) would leave the slice incomplete.
      if (!idx.actionHash.has(g)) return { key: `whole:${idx.wholeKey}` };
      if (!included.has(g)) {
        included.add(g);
        up.push(g);
      }
    }
  }
  const actions = [...included].sort();
  const part = actions.map((a) => `${a}#${idx.actionHash.get(a)}`).join('|');
  const slice = { key: `${idx.baseKey}|${part}`, actions };
  actionsPart.set(slice, part);
  return slice;
}

/** The schema JSON holding every type and only the given actions. */
export function sliceJson(model: SchemaModel, actions: Iterable<string>): SchemaJson {
  const idx = indexOf(model);
  const out: SchemaJson = {};
  for (const [ns, def] of Object.entries(idx.json)) out[ns] = { ...def, actions: {} };
  for (const uid of actions) {
    const at = idx.where.get(uid);
    if (at) out[at[0]].actions[at[1]] = idx.json[at[0]].actions[at[1]];
  }
  return out;
}
