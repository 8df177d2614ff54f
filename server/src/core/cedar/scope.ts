import { Memo } from '../engine/memo';
import { codeTokens, type Token, unquote } from './lexer';

/** One constraint of a policy's scope, as Cedar's grammar reads it. */
export interface ScopeConstraint {
  /** `All`: the bare variable; `other`: a form this reader does not take apart (template slots, lists). */
  op: 'All' | '==' | 'in' | 'is' | 'other';
  /** `== E`, `in E`, `is T in E`: the entity `E` as `{type, id}`. */
  entity?: { type: string; id: string };
  /** `is T`. */
  entityType?: string;
}

/** A policy's principal and action scope, and whether its conditions refer to either variable. */
export interface PolicyScope {
  principal: ScopeConstraint;
  action: ScopeConstraint;
  conditionsMention: { principal: boolean; action: boolean };
}

const scopes = new Memo<string, PolicyScope | null>('policy scope by statement text', 50_000);

/**
 * The scope of one statement read from its tokens (Cedar's grammar, not text matching), for
 * thousands of policies without a Cedar call each. Undefined when the head is not well formed.
 */
export function policyScope(text: string): PolicyScope | undefined {
  let s = scopes.get(text);
  if (s === undefined) scopes.set(text, (s = readScope(codeTokens(text)) ?? null));
  return s ?? undefined;
}

/**
 * The parts of a statement's scope `(principal…, action…, resource…)` split at its top-level
 * commas, and the index of its closing `)` (-1 while the scope is unfinished: the parts then run
 * to the end). Undefined without an effect keyword followed by `(`.
 */
export function scopeParts(tokens: Token[]): { parts: Token[][]; end: number } | undefined {
  const effect = tokens.findIndex(
    (t, i) =>
      t.kind === 'ident' &&
      (t.text === 'permit' || t.text === 'forbid') &&
      tokens[i - 1]?.text !== '@' &&
      tokens[i + 1]?.text === '(',
  );
  if (effect < 0) return undefined;
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let i = effect + 1; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[' || t === '{') {
      depth++;
      if (depth === 1) continue;
    } else if (t === ')' || t === ']' || t === '}') {
      depth--;
      if (depth === 0) return { parts, end: i };
    } else if (t === ',' && depth === 1) {
      parts.push([]);
      continue;
    }
    parts[parts.length - 1].push(tokens[i]);
  }
  return { parts, end: -1 };
}

function readScope(tokens: Token[]): PolicyScope | undefined {
  const scope = scopeParts(tokens);
  if (!scope || scope.end < 0 || scope.parts.length !== 3) return undefined;
  const { parts, end } = scope;
  const rest = tokens.slice(end + 1);
  const mentions = (name: string) => rest.some((t, i) => t.kind === 'ident' && t.text === name && rest[i - 1]?.text !== '.');
  return {
    principal: constraint(parts[0], 'principal'),
    action: constraint(parts[1], 'action'),
    conditionsMention: { principal: mentions('principal'), action: mentions('action') },
  };
}

/** `principal`, `principal == A::"x"`, `principal in G::"g"`, `principal is T [in G::"g"]`. */
function constraint(part: Token[], variable: string): ScopeConstraint {
  if (part[0]?.text !== variable) return { op: 'other' };
  if (part.length === 1) return { op: 'All' };
  const op = part[1].text;
  if (op === '==' || op === 'in') {
    const e = entityAt(part, 2);
    return e && e.next === part.length ? { op, entity: e.entity } : { op: 'other' };
  }
  if (op === 'is') {
    const type = pathAt(part, 2);
    if (!type) return { op: 'other' };
    if (type.next === part.length) return { op: 'is', entityType: type.path };
    if (part[type.next]?.text !== 'in') return { op: 'other' };
    const e = entityAt(part, type.next + 1);
    return e && e.next === part.length ? { op: 'is', entityType: type.path, entity: e.entity } : { op: 'other' };
  }
  return { op: 'other' };
}

/** `A::B` at `i` (identifiers joined by `::`, not followed by a string). */
function pathAt(part: Token[], i: number): { path: string; next: number } | undefined {
  const names: string[] = [];
  while (part[i]?.kind === 'ident') {
    names.push(part[i].text);
    if (part[i + 1]?.text !== '::' || part[i + 2]?.kind !== 'ident') return { path: names.join('::'), next: i + 1 };
    i += 2;
  }
  return undefined;
}

/** `A::B::"id"` at `i`. */
function entityAt(part: Token[], i: number): { entity: { type: string; id: string }; next: number } | undefined {
  const names: string[] = [];
  while (part[i]?.kind === 'ident' && part[i + 1]?.text === '::') {
    names.push(part[i].text);
    i += 2;
  }
  if (!names.length || part[i]?.kind !== 'string') return undefined;
  return { entity: { type: names.join('::'), id: unquote(part[i].text) }, next: i + 1 };
}
