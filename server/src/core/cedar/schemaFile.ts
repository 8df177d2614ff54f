import type { Node as JsonNode } from 'jsonc-parser';
import { parseJsonTree } from '../text/jsonErrors';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import { scanCedarSchemaDecls, scanJsonSchemaDecls, type SchemaDecl } from './schemaDecls';
import { JSON_DEPTH_LIMIT, jsonDepth } from './nesting';
import type { DetailedError, SchemaJson } from './gateway';
import { eachToken } from './lexer';

/** One schema file, parsed: its JSON form (when it has one), its declarations and its own errors. */
export interface SchemaFileModel {
  file: string;
  format: 'cedar' | 'json';
  text: string;
  lines: LineIndex;
  /** JSON-format files: the schema, when the JSON is well formed. Cedar-syntax files: unset. */
  json?: SchemaJson;
  decls: SchemaDecl[];
  /** Problems found in this file alone (JSON syntax and shape). */
  findings: Finding[];
  /** Nothing found alone stops the file joining its folder's schema. */
  valid: boolean;
}

export function isJsonSchemaPath(file: string): boolean {
  return file.endsWith('.cedarschema.json');
}

export function parseSchemaFile(file: string, text: string): SchemaFileModel {
  return isJsonSchemaPath(file) ? parseJsonSchema(file, text) : parseCedarSchema(file, text);
}

function parseCedarSchema(file: string, text: string): SchemaFileModel {
  // Only declarations here: Cedar checks a folder's schema files together (schemaModel.ts),
  // because a file may use types that another file of the folder declares.
  return {
    file,
    format: 'cedar',
    text,
    lines: new LineIndex(text),
    decls: scanCedarSchemaDecls(text),
    findings: [],
    valid: true,
  };
}

function parseJsonSchema(file: string, text: string): SchemaFileModel {
  const lines = new LineIndex(text);
  const deep = jsonDepth(text, JSON_DEPTH_LIMIT);
  if (deep.offset !== undefined) {
    const message = `This schema is nested too deeply for Cedar to check safely (more than ${JSON_DEPTH_LIMIT} levels). It was not checked.`;
    return {
      file,
      format: 'json',
      text,
      lines,
      decls: [],
      findings: [{ ruleId: 'cedar-schema', severity: 'error', message, file, range: lines.range(deep.offset, deep.offset + 1) }],
      valid: false,
    };
  }
  const { root, errors } = parseJsonTree(text, lines);
  const findings: Finding[] = errors.map(({ message, range }) => ({
    ruleId: 'cedar-schema',
    severity: 'error',
    message,
    file,
    range,
  }));
  const decls = scanJsonSchemaDecls(root);
  const value = root ? jsonValue(root) : undefined;
  if (findings.length || !root) return { file, format: 'json', text, lines, decls, findings, valid: false };
  if (!isObject(value)) {
    findings.push({
      ruleId: 'cedar-schema',
      severity: 'error',
      message: 'A Cedar JSON schema must be an object of namespaces.',
      file,
      range: lines.range(root.offset, root.offset + root.length),
    });
    return { file, format: 'json', text, lines, decls, findings, valid: false };
  }
  return { file, format: 'json', text, lines, json: value as SchemaJson, decls, findings, valid: true };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value from a jsonc tree; `number` may replace how numbers are read (the tree holds them as doubles). */
export function jsonValue(node: JsonNode, number?: (n: JsonNode) => unknown): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) out[String(k.value)] = jsonValue(v, number);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => jsonValue(c, number));
    case 'number':
      return number ? number(node) : node.value;
    default:
      return node.value;
  }
}

/** Where a file mentions a name Cedar's error quotes (Cedar gives no usable offset for merged or JSON schemas). */
export function namesInError(err: DetailedError): string[] {
  const text = `${err.message} ${err.help ?? ''}`;
  return [...text.matchAll(/(?:`([^`]+)`|:\s*([A-Za-z_][\w:]*)\s*$|types?: ([A-Za-z_][\w:]*(?:, [A-Za-z_][\w:]*)*))/g)]
    .flatMap((m) => (m[1] ?? m[2] ?? m[3] ?? '').split(', '))
    .filter(Boolean);
}

/**
 * Where a schema file refers to a name (the last segment for qualified names), preferring a
 * use over a declaration: an unresolved name is a reference that points nowhere.
 */
export function locateName(f: SchemaFileModel, name: string): { start: number; end: number } | undefined {
  const last = name.split('::').pop() ?? name;
  const spans: { start: number; end: number; isDecl: boolean }[] = [];
  if (f.format === 'json') {
    const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of f.text.matchAll(new RegExp(`"(?:\\w+::)*${escaped}"`, 'g'))) {
      const end = m.index! + m[0].length;
      spans.push({ start: m.index!, end, isDecl: /^\s*:/.test(f.text.slice(end)) });
    }
  } else {
    const declStarts = new Set(f.decls.map((d) => d.nameStart));
    eachToken(f.text, (t) => {
      if (t.kind === 'ident' && t.text === last) spans.push({ start: t.start, end: t.end, isDecl: declStarts.has(t.start) });
    });
  }
  const hit = spans.find((s) => !s.isDecl) ?? spans[0];
  return hit && { start: hit.start, end: hit.end };
}
