import { codeTokens, unquote } from '../cedar/lexer';
import { declKey } from '../cedar/schemaDecls';
import type { SchemaFileModel } from '../cedar/schemaFile';
import type { SchemaModel } from '../cedar/schemaModel';
import { pathAround, tokenIndexAt } from './cursor';

/** A schema name under the cursor, resolved to a key of the schema model. */
export interface SchemaTarget {
  /** Qualified entity type, common type, or action uid. */
  name: string;
  start: number;
  end: number;
}

/** What the cursor names in a schema file: a declaration, or a reference to an entity/common type. */
export function schemaTargetAt(file: SchemaFileModel, offset: number, schema: SchemaModel): SchemaTarget | undefined {
  const decl = file.decls.find((d) => d.kind !== 'namespace' && d.nameStart <= offset && offset <= d.nameEnd);
  if (decl) return { name: declKey(decl.kind, decl.namespace, decl.name), start: decl.nameStart, end: decl.nameEnd };
  if (file.format === 'json') return jsonReference(file, offset, schema);
  const tokens = codeTokens(file.lines.text);
  const i = tokenIndexAt(tokens, offset);
  if (i < 0) return undefined;
  const t = tokens[i];
  const ns = namespaceAt(file, offset);
  if (t.kind === 'string' && tokens[i - 1]?.text !== '::') {
    // An action name in `in [...]` of another action.
    const uid = declKey('action', ns, unquote(t.text));
    return schema.actions.has(uid) ? { name: uid, start: t.start, end: t.end } : undefined;
  }
  if (t.kind !== 'ident') return undefined;
  const p = pathAround(tokens, i);
  const name = resolve(p.names.join('::'), ns, schema);
  return name ? { name, start: tokens[p.first].start, end: tokens[p.last].end } : undefined;
}

function resolve(name: string, ns: string, schema: SchemaModel): string | undefined {
  const candidates = name.includes('::') ? [name] : [ns ? `${ns}::${name}` : name, name];
  return candidates.find((c) => schema.entityTypes.has(c) || schema.commonTypes.has(c));
}

/** The namespace whose declaration most closely precedes the offset. */
function namespaceAt(file: SchemaFileModel, offset: number): string {
  let ns = '';
  for (const d of file.decls) if (d.kind === 'namespace' && d.start <= offset) ns = d.namespace;
  return ns;
}

/** In a JSON schema, a type name inside a string value (`"name": "User"`, `"memberOfTypes": ["Team"]`). */
function jsonReference(file: SchemaFileModel, offset: number, schema: SchemaModel): SchemaTarget | undefined {
  const text = file.lines.text;
  let start = offset;
  while (start > 0 && text[start - 1] !== '"' && text[start - 1] !== '\n') start--;
  let end = offset;
  while (end < text.length && text[end] !== '"' && text[end] !== '\n') end++;
  if (text[start - 1] !== '"' || text[end] !== '"') return undefined;
  const name = resolve(text.slice(start, end), namespaceAt(file, offset), schema);
  return name ? { name, start: start - 1, end: end + 1 } : undefined;
}
