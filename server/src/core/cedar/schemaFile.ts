import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import { FIRST_LINE } from '../text/range';
import { findingFromCedarError, sliceOf } from './errors';
import { scanCedarSchemaDecls, scanJsonSchemaDecls, type SchemaDecl } from './schemaDecls';
import { cedar, type DetailedError, type SchemaJson } from './wasm';

/** One schema file, parsed: its JSON form (when it has one), its declarations and its own errors. */
export interface SchemaFileModel {
  file: string;
  format: 'cedar' | 'json';
  lines: LineIndex;
  /** The schema as Cedar JSON, when it could be read; set even when types fail to resolve. */
  json?: SchemaJson;
  decls: SchemaDecl[];
  /** Problems of this file alone (syntax, unresolved types, warnings). */
  findings: Finding[];
  /** Whether Cedar accepts this file as a schema on its own. */
  valid: boolean;
}

export function isJsonSchemaPath(file: string): boolean {
  return file.endsWith('.cedarschema.json');
}

export function parseSchemaFile(file: string, text: string): SchemaFileModel {
  return isJsonSchemaPath(file) ? parseJsonSchema(file, text) : parseCedarSchema(file, text);
}

function parseCedarSchema(file: string, text: string): SchemaFileModel {
  const lines = new LineIndex(text);
  const slice = sliceOf(file, lines, 0, text.length, FIRST_LINE);
  const decls = scanCedarSchemaDecls(text);
  const findings: Finding[] = [];
  const c = cedar();
  const check = c.checkParseSchema(text);
  const valid = check.type === 'success';
  if (check.type === 'failure') findings.push(...check.errors.map((e) => findingFromCedarError(e, slice, 'cedar-schema')));
  const conv = c.schemaToJson(text);
  let json: SchemaJson | undefined;
  if (conv.type === 'success') {
    json = conv.json;
    findings.push(...conv.warnings.map((w) => findingFromCedarError(w, slice, 'cedar-warning', 'warning')));
  } else if (valid) {
    findings.push(...conv.errors.map((e) => findingFromCedarError(e, slice, 'cedar-schema')));
  }
  return { file, format: 'cedar', lines, json, decls, findings, valid: valid && !!json };
}

function parseJsonSchema(file: string, text: string): SchemaFileModel {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const findings: Finding[] = errors.map((e) => ({
    ruleId: 'cedar-schema',
    severity: 'error',
    message: `Invalid JSON: ${describeJsonError(printParseErrorCode(e.error))}`,
    file,
    range: lines.range(e.offset, e.offset + e.length),
  }));
  const decls = scanJsonSchemaDecls(root);
  const value = root ? jsonValue(root) : undefined;
  if (findings.length || !root) return { file, format: 'json', lines, decls, findings, valid: false };
  if (!isObject(value)) {
    findings.push({ ruleId: 'cedar-schema', severity: 'error', message: 'A Cedar JSON schema must be an object of namespaces.', file, range: lines.range(root.offset, root.offset + root.length) });
    return { file, format: 'json', lines, decls, findings, valid: false };
  }
  const json = value as SchemaJson;
  let check;
  try {
    check = cedar().checkParseSchema(json);
  } catch (e) {
    // A wrongly shaped value makes cedar-wasm throw instead of answering.
    check = { type: 'failure' as const, errors: [{ message: `schema is not in Cedar's JSON format: ${String(e)}`, help: null, code: null, url: null, severity: null } as DetailedError] };
  }
  if (check.type === 'failure') {
    for (const err of check.errors) {
      // Offsets Cedar reports for JSON schemas do not point into our text: locate by the names it quotes.
      const range = locateByNames(err, root, lines) ?? FIRST_LINE;
      findings.push({ ...findingFromCedarError({ ...err, sourceLocations: [] }, sliceOf(file, lines, 0, text.length, range), 'cedar-schema') });
    }
  }
  return { file, format: 'json', lines, json, decls, findings, valid: check.type === 'success' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value from a jsonc tree (the schema holds no integers where precision could matter). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) out[String(k.value)] = jsonValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

function locateByNames(err: DetailedError, root: JsonNode, lines: LineIndex) {
  const text = `${err.message} ${err.help ?? ''}`;
  const names = [...text.matchAll(/(?:`([^`]+)`|:\s*([A-Za-z_][\w:]*)\s*$)/g)].map((m) => m[1] ?? m[2]).filter(Boolean);
  for (const name of names) {
    const node = findString(root, name) ?? findString(root, name.split('::').pop() ?? name);
    if (node) return lines.range(node.offset, node.offset + node.length);
  }
  return undefined;
}

function findString(node: JsonNode, value: string): JsonNode | undefined {
  if (node.type === 'string' && node.value === value) return node;
  for (const c of node.children ?? []) {
    const hit = findString(c, value);
    if (hit) return hit;
  }
  return undefined;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
