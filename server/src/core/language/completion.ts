import type { Token } from '../cedar/lexer';
import type { SchemaModel } from '../cedar/schemaModel';
import { typeToString } from '../cedar/types';
import type { GovernanceService } from '../service';
import type { Position, Range } from '../text/range';
import { policyCursor, type PolicyCursor } from './context';
import { chainBefore, pathAround } from './cursor';
import { bindingCompletion } from './bindingCompletion';
import { configCompletion } from './configCompletion';
import { attributesAfter } from './typeOf';

export type CompletionKindName = 'entityType' | 'action' | 'attribute' | 'keyword' | 'variable' | 'snippet' | 'namespace';

export interface CompletionInfo {
  label: string;
  kind: CompletionKindName;
  detail?: string;
  documentation?: string;
  /** Text to insert (a snippet when `snippet` is set); the label when absent. */
  insertText?: string;
  snippet?: boolean;
  /** What the item replaces: the partial word or string at the cursor. */
  range: Range;
  sortText?: string;
}

const KEYWORDS = ['when', 'unless', 'has', 'like', 'is', 'in', 'if', 'then', 'else', 'true', 'false'];
const VARIABLES = ['principal', 'action', 'resource', 'context'];

/** Completion in a policy file (attributes after `.`, types and actions from the schema, keywords), a binding or `.agentgov/config.yaml`. */
export function completion(service: GovernanceService, path: string, pos: Position): CompletionInfo[] {
  if (service.file(path)?.kind === 'binding') return bindingCompletion(service, path, pos);
  if (service.file(path)?.kind === 'config') return configCompletion(service, path, pos);
  const cur = policyCursor(service, path, pos);
  if (!cur) return [];
  const { tokens } = cur.model;
  const i = lastTokenBefore(tokens, cur.offset);
  const t = tokens[i];
  // Inside a string (e.g. the editor auto-closed the quote: `Action::"‸"`), the string is being typed.
  const inString = t?.kind === 'string' && cur.offset > t.start && (cur.offset < t.end || !!t.unterminated);
  const typing = t && (inString || (t.end === cur.offset && t.kind === 'ident'));
  const wordStart = typing ? t.start : cur.offset;
  // A string is replaced whole, closing quote included, so `"‸"` does not end up as `""id""`.
  const range = cur.model.lines.range(wordStart, inString ? t.end : cur.offset);
  const before = typing ? i - 1 : i;
  const prev = tokens[before];
  const schema = cur.schema;

  if (prev && (prev.text === '.' || prev.text === 'has') && prev.end <= wordStart) {
    if (!schema) return [];
    const chain = chainBefore(tokens, before - 1);
    if (!chain) return [];
    return attributesAfter(chain.base, chain.path, cur.scope, schema).map((a) => ({
      label: a.name,
      kind: 'attribute',
      detail: `${typeToString(a.attribute.type)}${a.attribute.required ? '' : ' (optional)'}`,
      documentation: [a.attribute.doc, `Attribute of \`${a.owner}\``].filter(Boolean).join('\n\n'),
      range,
      ...(a.attribute.required ? {} : { sortText: `1${a.name}` }),
    }));
  }
  if (!schema) return keywordItems(range, cur);
  if (prev?.text === '::' && tokens[before - 1]?.kind === 'ident') {
    const prefix = pathAround(tokens, before - 1).names.join('::');
    return pathChildren(prefix, schema, range, inString);
  }
  if (inString) return [];
  return [...scopeItems(cur, schema, range, prev), ...keywordItems(range, cur)];
}

function lastTokenBefore(tokens: Token[], offset: number): number {
  let i = -1;
  for (let k = 0; k < tokens.length && tokens[k].start < offset; k++) i = k;
  return i;
}

/** After `Ns::`: the namespace's entity types and nested namespaces; after `Ns::Action::`: its action ids. */
function pathChildren(prefix: string, schema: SchemaModel, range: Range, inString: boolean): CompletionInfo[] {
  const out: CompletionInfo[] = [];
  const actionNs = prefix === 'Action' ? '' : prefix.endsWith('::Action') ? prefix.slice(0, -'::Action'.length) : undefined;
  if (actionNs !== undefined) {
    for (const a of schema.actions.values()) {
      if (a.namespace !== actionNs) continue;
      out.push({
        label: JSON.stringify(a.id),
        kind: 'action',
        detail: a.uid,
        insertText: JSON.stringify(a.id),
        range,
        documentation: actionDoc(a, schema),
      });
    }
    return out;
  }
  if (inString) return out;
  const seen = new Set<string>();
  for (const e of schema.entityTypes.values()) {
    if (!e.name.startsWith(`${prefix}::`)) continue;
    const rest = e.name.slice(prefix.length + 2);
    const head = rest.split('::')[0];
    if (seen.has(head)) continue;
    seen.add(head);
    out.push({
      label: head,
      kind: rest.includes('::') ? 'namespace' : 'entityType',
      detail: rest.includes('::') ? 'namespace' : e.name,
      range,
    });
  }
  if ([...schema.actions.values()].some((a) => a.namespace === prefix))
    out.push({ label: 'Action', kind: 'entityType', detail: `${prefix}::Action`, range });
  return out;
}

function actionDoc(a: { principalTypes: string[]; resourceTypes: string[] }, _schema: SchemaModel): string {
  return `principal: ${a.principalTypes.join(' | ') || '—'}\n\nresource: ${a.resourceTypes.join(' | ') || '—'}`;
}

/** Entity types and actions, narrowed by where the cursor is in the scope. */
function scopeItems(cur: PolicyCursor, schema: SchemaModel, range: Range, prev: Token | undefined): CompletionInfo[] {
  const inHead = !!cur.statement && cur.offset <= cur.statement.headEnd && cur.offset > cur.statement.effectEnd;
  const slot = inHead ? currentScopeVar(cur) : undefined;
  const types = [...schema.entityTypes.values()].map<CompletionInfo>((e) => ({
    label: e.name,
    kind: 'entityType',
    detail: 'entity type',
    range,
    documentation: e.doc,
  }));
  const actions = [...schema.actions.values()].map<CompletionInfo>((a) => ({
    label: a.uid,
    kind: 'action',
    detail: 'action',
    range,
    documentation: actionDoc(a, schema),
  }));
  if (slot === 'action')
    return prev?.text === '==' || prev?.text === 'in' || prev?.text === '[' || prev?.text === ',' ? actions : [];
  if (slot === 'principal' || slot === 'resource') {
    const entityTypes = cur.statement ? types.filter((c) => slot !== 'principal' || allowedPrincipal(c.label, schema)) : types;
    return prev?.text === 'is' ? entityTypes : entityTypes.map((c) => ({ ...c, insertText: `${c.label}::"$1"`, snippet: true }));
  }
  return [...types, ...actions];
}

function allowedPrincipal(type: string, schema: SchemaModel): boolean {
  const any = [...schema.actions.values()].some((a) => a.principalTypes.length);
  return (
    !any ||
    [...schema.actions.values()].some((a) => a.principalTypes.includes(type)) ||
    [...schema.entityTypes.values()].some((e) => e.memberOfTypes.includes(type))
  );
}

/** Which scope variable the cursor is constraining: the last `principal`/`action`/`resource` before it. */
function currentScopeVar(cur: PolicyCursor): 'principal' | 'action' | 'resource' | undefined {
  let found: 'principal' | 'action' | 'resource' | undefined;
  for (const t of cur.model.tokens) {
    if (t.start < cur.statement!.effectEnd) continue;
    if (t.start >= cur.offset) break;
    if (t.text === 'principal' || t.text === 'action' || t.text === 'resource') found = t.text;
  }
  return found;
}

function keywordItems(range: Range, cur: PolicyCursor): CompletionInfo[] {
  const items: CompletionInfo[] = [
    ...VARIABLES.map<CompletionInfo>((v) => ({ label: v, kind: 'variable', range })),
    ...KEYWORDS.map<CompletionInfo>((k) => ({ label: k, kind: 'keyword', range })),
  ];
  if (!cur.statement || cur.offset < cur.statement.effectStart) {
    for (const effect of ['permit', 'forbid']) {
      items.push({
        label: effect,
        kind: 'snippet',
        detail: `${effect} policy`,
        insertText: `@id("$1")\n${effect} (\n  principal${'${2}'},\n  action${'${3}'},\n  resource${'${4}'}\n)\nwhen { $0 };`,
        snippet: true,
        range,
      });
    }
  }
  return items;
}
