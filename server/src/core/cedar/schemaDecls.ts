import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { codeTokens, type Token, unquote } from './lexer';
import { SCHEMA_TOKEN_LIMIT } from './nesting';

export type DeclKind = 'namespace' | 'entity' | 'action' | 'commonType';

/** A declaration in a schema file, by UTF-16 offsets of its name and of the whole declaration. */
export interface SchemaDecl {
  kind: DeclKind;
  namespace: string;
  /** Entity and common types: the unqualified name; actions: the action id. */
  name: string;
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
}

/** Fully qualified key of a declaration: `Ns::Type`, `Ns::Action::"id"`, or the namespace. */
export function declKey(kind: DeclKind, namespace: string, name: string): string {
  if (kind === 'action') return `${qualify(namespace, 'Action')}::${JSON.stringify(name)}`;
  if (kind === 'namespace') return namespace;
  return qualify(namespace, name);
}

/** `Ns::Name`, or `Name` in the empty namespace. */
export function qualify(namespace: string, name: string): string {
  return namespace ? `${namespace}::${name}` : name;
}

/**
 * Declarations of a Cedar-syntax schema, found by tokens so they survive syntax errors elsewhere.
 * A text past the token limit is not handed to Cedar (`schemaLimitAt`): its declarations are
 * read up to there, so a megabyte of garbage is not half a million token objects per edit.
 */
export function scanCedarSchemaDecls(text: string): SchemaDecl[] {
  const toks = codeTokens(text, SCHEMA_TOKEN_LIMIT);
  const out: SchemaDecl[] = [];
  const nsStack: { name: string; depth: number }[] = [];
  let depth = 0;
  let stmtStart = 0;
  let prev: Token | undefined;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const ns = nsStack[nsStack.length - 1];
    const atDeclLevel = depth === (ns ? ns.depth + 1 : 0);
    if (t.text === '{') depth++;
    else if (t.text === '}') {
      depth = Math.max(0, depth - 1);
      if (ns && depth === ns.depth) nsStack.pop();
    }
    const startsStatement =
      !prev || prev.text === ';' || prev.text === '{' || prev.text === '}' || prev.text === ')' || isBareAnnotationEnd(toks, i);
    if (startsStatement && !isAnnotationName(toks, i)) stmtStart = t.start;
    if (t.kind === 'ident' && atDeclLevel && startsStatement && !isAnnotationName(toks, i)) {
      if (t.text === 'namespace') {
        let j = i + 1;
        const parts: string[] = [];
        while (toks[j]?.kind === 'ident') {
          parts.push(toks[j].text);
          if (toks[j + 1]?.text !== '::') break;
          j += 2;
        }
        if (parts.length && toks[j]) {
          const first = toks[i + 1];
          out.push({
            kind: 'namespace',
            namespace: parts.join('::'),
            name: parts.join('::'),
            nameStart: first.start,
            nameEnd: toks[j].end,
            start: t.start,
            end: t.end,
          });
          if (toks[j + 1]?.text === '{') nsStack.push({ name: parts.join('::'), depth });
        }
      } else if (t.text === 'entity' || t.text === 'action' || t.text === 'type') {
        const kind: DeclKind = t.text === 'entity' ? 'entity' : t.text === 'action' ? 'action' : 'commonType';
        const end = statementEnd(toks, i);
        for (let j = i + 1; j < toks.length; j += 2) {
          const nameTok = toks[j];
          const ok = nameTok && (nameTok.kind === 'ident' || (kind === 'action' && nameTok.kind === 'string'));
          if (!ok) break;
          const name = nameTok.kind === 'string' ? unquote(nameTok.text) : nameTok.text;
          out.push({
            kind,
            namespace: ns?.name ?? '',
            name,
            nameStart: nameTok.start,
            nameEnd: nameTok.end,
            start: stmtStart,
            end,
          });
          if (kind === 'commonType' || toks[j + 1]?.text !== ',') break;
        }
      }
    }
    prev = t;
  }
  return out;
}

function isAnnotationName(toks: Token[], i: number): boolean {
  return toks[i - 1]?.text === '@';
}

/** `@doc entity X` — an annotation without a value ends right at its name. */
function isBareAnnotationEnd(toks: Token[], i: number): boolean {
  return toks[i - 2]?.text === '@' && toks[i - 1]?.kind === 'ident';
}

function statementEnd(toks: Token[], i: number): number {
  let depth = 0;
  for (let j = i; j < toks.length; j++) {
    const t = toks[j].text;
    if (t === '{' || t === '(' || t === '[') depth++;
    else if (t === '}' || t === ')' || t === ']') {
      if (depth === 0) return toks[j].start;
      depth--;
    } else if (t === ';' && depth === 0) return toks[j].end;
  }
  return toks[toks.length - 1].end;
}

/** Declarations of a JSON schema, from its jsonc-parser tree. */
export function scanJsonSchemaDecls(root: JsonNode | undefined): SchemaDecl[] {
  const out: SchemaDecl[] = [];
  if (!root || root.type !== 'object') return out;
  for (const nsProp of root.children ?? []) {
    const [nsKey, nsValue] = nsProp.children ?? [];
    if (!nsKey || nsValue?.type !== 'object') continue;
    const namespace = String(nsKey.value);
    out.push({
      kind: 'namespace',
      namespace,
      name: namespace,
      nameStart: nsKey.offset,
      nameEnd: nsKey.offset + nsKey.length,
      start: nsProp.offset,
      end: nsProp.offset + nsProp.length,
    });
    const sections: [string, DeclKind][] = [
      ['entityTypes', 'entity'],
      ['actions', 'action'],
      ['commonTypes', 'commonType'],
    ];
    for (const [section, kind] of sections) {
      const obj = findNodeAtLocation(nsValue, [section]);
      for (const prop of obj?.type === 'object' ? (obj.children ?? []) : []) {
        const key = prop.children?.[0];
        if (!key) continue;
        out.push({
          kind,
          namespace,
          name: String(key.value),
          nameStart: key.offset,
          nameEnd: key.offset + key.length,
          start: prop.offset,
          end: prop.offset + prop.length,
        });
      }
    }
  }
  return out;
}
