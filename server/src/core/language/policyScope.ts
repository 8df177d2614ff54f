import type { Token } from '../cedar/lexer';
import { unquote } from '../cedar/lexer';
import type { PolicyStatement } from '../cedar/policyFile';
import type { ActionInfo, SchemaModel } from '../cedar/schemaModel';

/** An entity reference written in policy text: `Ns::Type::"id"`. */
export interface EntityRef {
  type: string;
  id: string;
}

export interface VarConstraint {
  op: 'all' | '==' | 'in' | 'is';
  /** For `==`/`in`: the entities; for `is`: the type. */
  refs: EntityRef[];
  type?: string;
}

/** The scope of a policy as far as it can be read, also while the rest is being typed. */
export interface PolicyScope {
  principal: VarConstraint;
  action: VarConstraint;
  resource: VarConstraint;
}

const ALL: VarConstraint = { op: 'all', refs: [] };

/** Reads `(principal …, action …, resource …)` from a statement's tokens. */
export function readScope(tokens: Token[], statement: PolicyStatement): PolicyScope {
  const toks = tokens.filter((t) => t.start >= statement.effectEnd && t.end <= statement.headEnd);
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(' || t.text === '[') {
      depth++;
      if (depth === 1 && t.text === '(') continue;
    } else if (t.text === ')' || t.text === ']') {
      depth--;
      if (depth === 0 && t.text === ')') continue;
    }
    if (depth === 1 && t.text === ',') parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  const scope: PolicyScope = { principal: ALL, action: ALL, resource: ALL };
  for (const part of parts) {
    const head = part[0]?.text;
    if (head === 'principal' || head === 'action' || head === 'resource') scope[head] = readConstraint(part.slice(1));
  }
  return scope;
}

function readConstraint(toks: Token[]): VarConstraint {
  const op = toks[0]?.text;
  if (op === '==' || op === 'in') return { op, refs: readRefs(toks.slice(1)) };
  if (op === 'is') {
    const path = readPath(toks, 1);
    return { op: 'is', refs: readRefs(toks.slice(path.next + 1)), type: path.names.join('::') };
  }
  return ALL;
}

function readPath(toks: Token[], i: number): { names: string[]; next: number } {
  const names: string[] = [];
  while (toks[i]?.kind === 'ident') {
    names.push(toks[i].text);
    if (toks[i + 1]?.text !== '::' || toks[i + 2]?.kind !== 'ident') {
      i++;
      break;
    }
    i += 2;
  }
  return { names, next: i };
}

/** Entity references in a token run: `A::B::"x"` or `[A::"x", B::"y"]`. */
export function readRefs(toks: Token[]): EntityRef[] {
  const out: EntityRef[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].kind !== 'string' || toks[i - 1]?.text !== '::') continue;
    const names: string[] = [];
    let j = i - 2;
    while (toks[j]?.kind === 'ident') {
      names.unshift(toks[j].text);
      if (toks[j - 1]?.text !== '::') break;
      j -= 2;
    }
    if (names.length) out.push({ type: names.join('::'), id: unquote(toks[i].text) });
  }
  return out;
}

export function refToString(r: EntityRef): string {
  return `${r.type}::${JSON.stringify(r.id)}`;
}

/** Actions of the schema a scope can apply to, groups expanded. */
export function actionsInScope(scope: PolicyScope, schema: SchemaModel): ActionInfo[] {
  const all = [...schema.actions.values()];
  if (scope.action.op === 'all') return all;
  const targets = new Set(scope.action.refs.map(refToString));
  if (scope.action.op === '==') return all.filter((a) => targets.has(a.uid));
  return all.filter((a) => isInGroups(a, targets, schema, new Set()));
}

function isInGroups(a: ActionInfo, groups: Set<string>, schema: SchemaModel, seen: Set<string>): boolean {
  if (groups.has(a.uid)) return true;
  if (seen.has(a.uid)) return false;
  seen.add(a.uid);
  return a.memberOf.some(
    (m) => groups.has(m) || (schema.actions.has(m) && isInGroups(schema.actions.get(m)!, groups, schema, seen)),
  );
}

/** Entity types a principal or resource can have, from its constraint or the actions' `appliesTo`. */
export function typesOfVar(which: 'principal' | 'resource', scope: PolicyScope, schema: SchemaModel): string[] {
  const c = scope[which];
  if (c.op === 'is' && c.type) return [qualifyType(c.type, schema)];
  if (c.op === '==' && c.refs.length) return [qualifyType(c.refs[0].type, schema)];
  const types = new Set<string>();
  for (const a of actionsInScope(scope, schema))
    for (const t of which === 'principal' ? a.principalTypes : a.resourceTypes) types.add(t);
  return [...types];
}

/** A type name as written, qualified against the schema (policies always write full paths, but be lenient). */
export function qualifyType(name: string, schema: SchemaModel): string {
  if (schema.entityTypes.has(name)) return name;
  for (const ns of schema.namespaces) if (schema.entityTypes.has(`${ns}::${name}`)) return `${ns}::${name}`;
  return name;
}
