import { createHash } from 'node:crypto';
import type { Finding } from '../findings/finding';
import type { Range } from '../text/range';
import { declKey, type SchemaDecl } from './schemaDecls';
import { findingFromCedarError, rangeInSlice, sliceOf } from './errors';
import { locateName, namesInError, type SchemaFileModel } from './schemaFile';
import { type Attribute, type CedarType, TypeResolver } from './types';
import { cedar, type DetailedError, type SchemaJson } from './wasm';

/** Where something is declared. */
export interface Location {
  file: string;
  range: Range;
  /** The whole declaration, for symbols and folding. */
  fullRange: Range;
}

export interface EntityTypeInfo {
  /** Fully qualified, e.g. `Acme::User`. */
  name: string;
  namespace: string;
  attributes: Record<string, Attribute>;
  memberOfTypes: string[];
  tags?: CedarType;
  enumValues?: string[];
  doc?: string;
  decl?: Location;
}

export interface ActionInfo {
  id: string;
  namespace: string;
  /** `Acme::Action::"read"`. */
  uid: string;
  principalTypes: string[];
  resourceTypes: string[];
  context: CedarType;
  memberOf: string[];
  doc?: string;
  decl?: Location;
}

/**
 * The schema a set of policies is validated against: one or more schema files merged by
 * namespace, with resolved types and declaration locations.
 */
export class SchemaModel {
  readonly entityTypes = new Map<string, EntityTypeInfo>();
  readonly actions = new Map<string, ActionInfo>();
  readonly commonTypes = new Map<string, { name: string; decl?: Location }>();
  readonly namespaces = new Set<string>();
  /** Problems found by merging (duplicates across files). */
  readonly findings: Finding[] = [];
  /** Stable identity of the merged schema, for caches. */
  readonly key: string;
  /** Every file parses and the merged schema resolves, so policies can be validated against it. */
  valid = true;

  constructor(
    readonly files: SchemaFileModel[],
    readonly json: SchemaJson,
  ) {
    this.key = createHash('sha1').update(JSON.stringify(json)).digest('hex');
  }

  /** Files with an error of their own or of the merge. */
  brokenFiles(): string[] {
    const bad = new Set(this.findings.filter((f) => f.severity === 'error').map((f) => f.file));
    for (const f of this.files) if (!f.valid || f.findings.some((x) => x.severity === 'error')) bad.add(f.file);
    return [...bad];
  }

  entityOrUndefined(name: string): EntityTypeInfo | undefined {
    return this.entityTypes.get(name);
  }
}

/**
 * Builds the schema of a folder. Its Cedar-syntax files are checked as one text (a file may use
 * types another declares; Cedar reports exact offsets, mapped back to each file), JSON files are
 * merged in by namespace, and the result is checked once more when both formats meet.
 */
export function buildSchemaModel(files: SchemaFileModel[]): SchemaModel {
  const textFiles = files.filter((f) => f.format === 'cedar');
  const jsonFiles = files.filter((f) => f.format === 'json' && f.json);
  const findings: Finding[] = [];
  const fromText = textFiles.length ? checkTextFiles(textFiles) : { json: {}, findings: [], ok: true };
  findings.push(...fromText.findings);
  const { merged, duplicates } = mergeJson([{ json: fromText.json, file: textFiles[0] }, ...jsonFiles.map((f) => ({ json: f.json!, file: f }))]);
  findings.push(...duplicates);
  let ok = fromText.ok && !duplicates.length && files.every((f) => f.valid);
  if (ok && jsonFiles.length) {
    const resolution = resolutionFindings(files, merged);
    findings.push(...resolution);
    ok = !resolution.length;
  }
  const model = new SchemaModel(files, merged);
  model.findings.push(...findings);
  model.valid = ok;
  index(model, merged, files);
  return model;
}

interface TextCheck {
  json: SchemaJson;
  findings: Finding[];
  ok: boolean;
}

/** Checks Cedar-syntax files as one text; when that fails, each file alone still feeds hover and completion. */
function checkTextFiles(files: SchemaFileModel[]): TextCheck {
  const c = cedar();
  const parts: { file: SchemaFileModel; byteStart: number; byteEnd: number }[] = [];
  let bytes = 0;
  for (const f of files) {
    const len = Buffer.byteLength(f.text);
    parts.push({ file: f, byteStart: bytes, byteEnd: bytes + len });
    bytes += len + 1;
  }
  const combined = files.map((f) => f.text).join('\n');
  const partOf = (byte: number) => parts.find((p) => byte >= p.byteStart && byte <= p.byteEnd) ?? parts[0];
  const rangeOf = (p: (typeof parts)[number], l: { start: number; end: number }) => rangeInSlice(sliceOf(p.file.file, p.file.lines, 0, p.file.text.length), l.start - p.byteStart, l.end - p.byteStart);
  // One finding in every file the error points into (e.g. both places of a name declared twice).
  const place = (err: DetailedError, ruleId: 'cedar-schema' | 'cedar-warning', severity: 'error' | 'warning'): Finding[] => {
    const locs = err.sourceLocations ?? [];
    if (!locs.length) return [findingFromCedarError(err, sliceOf(parts[0].file.file, parts[0].file.lines, 0, parts[0].file.text.length), ruleId, severity)];
    const touched = [...new Set(locs.map((l) => partOf(l.start)))];
    return touched.map((part) => {
      const mine = locs.filter((l) => partOf(l.start) === part);
      const local = { ...mine[0], start: mine[0].start - part.byteStart, end: mine[0].end - part.byteStart };
      const f = findingFromCedarError({ ...err, sourceLocations: [local] }, sliceOf(part.file.file, part.file.lines, 0, part.file.text.length), ruleId, severity);
      const others = locs.filter((l) => l !== mine[0]);
      if (others.length) f.related = others.map((l) => ({ file: partOf(l.start).file.file, range: rangeOf(partOf(l.start), l), message: l.label ?? 'also here' }));
      return f;
    });
  };
  const check = c.checkParseSchema(combined);
  if (check.type === 'success') {
    const conv = c.schemaToJson(combined);
    if (conv.type === 'success') return { json: conv.json, findings: conv.warnings.flatMap((w) => place(w, 'cedar-warning', 'warning')), ok: true };
    return { json: {}, findings: conv.errors.flatMap((e) => place(e, 'cedar-schema', 'error')), ok: false };
  }
  const findings = check.errors.flatMap((e) => place(e, 'cedar-schema', 'error'));
  let json: SchemaJson = {};
  for (const f of files) {
    const alone = c.schemaToJson(f.text);
    if (alone.type === 'success') json = mergeJson([{ json, file: f }, { json: alone.json, file: f }]).merged;
  }
  return { json, findings, ok: false };
}

/** Merges schemas by namespace; a name declared twice (across formats) is reported on the second. */
function mergeJson(sources: { json: SchemaJson; file: SchemaFileModel | undefined }[]): { merged: SchemaJson; duplicates: Finding[] } {
  const merged: SchemaJson = {};
  const duplicates: Finding[] = [];
  const owner = new Map<string, SchemaFileModel | undefined>();
  for (const { json, file: f } of sources) {
    for (const [ns, def] of Object.entries(json)) {
      const into = (merged[ns] ??= { entityTypes: {}, actions: {} });
      for (const section of ['entityTypes', 'actions', 'commonTypes'] as const) {
        for (const [name, value] of Object.entries(def[section] ?? {})) {
          const kind = section === 'entityTypes' ? 'entity' : section === 'actions' ? 'action' : 'commonType';
          const key = declKey(kind, ns, name);
          if (owner.has(key)) {
            const first = owner.get(key);
            if (f && first !== f) {
              const decl = f.decls.find((d) => d.kind === kind && d.namespace === ns && d.name === name);
              duplicates.push({
                ruleId: 'cedar-schema',
                severity: 'error',
                message: `${kind === 'entity' ? 'Entity type' : kind === 'action' ? 'Action' : 'Common type'} ${key} is already declared in ${first?.file ?? 'another schema file'}.`,
                file: f.file,
                range: decl ? f.lines.range(decl.nameStart, decl.nameEnd) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              });
            }
            continue;
          }
          owner.set(key, f);
          ((into[section] ??= {}) as Record<string, unknown>)[name] = value;
        }
      }
      if (def.annotations) into.annotations = { ...into.annotations, ...def.annotations };
    }
  }
  return { merged, duplicates };
}

function index(model: SchemaModel, json: SchemaJson, files: SchemaFileModel[]): void {
  const declOf = new Map<string, Location>();
  for (const f of files) {
    for (const d of f.decls) declOf.set(declKey(d.kind, d.namespace, d.name), locationOf(f, d));
  }
  const entityNames = new Set<string>();
  const commons = new Map<string, unknown>();
  for (const [ns, def] of Object.entries(json)) {
    model.namespaces.add(ns);
    for (const name of Object.keys(def.entityTypes ?? {})) entityNames.add(qualify(ns, name));
    for (const [name, t] of Object.entries(def.commonTypes ?? {})) commons.set(qualify(ns, name), t);
  }
  const resolver = new TypeResolver(entityNames, commons);
  for (const [ns, def] of Object.entries(json)) {
    for (const [name, raw] of Object.entries(def.entityTypes ?? {})) {
      const et = raw as { shape?: unknown; memberOfTypes?: string[]; tags?: unknown; enum?: string[]; annotations?: Record<string, string> };
      const shape = et.shape ? resolver.resolve(et.shape, ns) : undefined;
      const qname = qualify(ns, name);
      model.entityTypes.set(qname, {
        name: qname,
        namespace: ns,
        attributes: shape?.kind === 'Record' ? shape.attributes : {},
        memberOfTypes: (et.memberOfTypes ?? []).map((m) => resolver.qualifyEntity(m, ns)),
        tags: et.tags ? resolver.resolve(et.tags, ns) : undefined,
        enumValues: et.enum,
        doc: et.annotations?.doc,
        decl: declOf.get(declKey('entity', ns, name)),
      });
    }
    for (const [name] of Object.entries(def.commonTypes ?? {})) {
      model.commonTypes.set(qualify(ns, name), { name: qualify(ns, name), decl: declOf.get(declKey('commonType', ns, name)) });
    }
    for (const [id, raw] of Object.entries(def.actions ?? {})) {
      const a = raw as { appliesTo?: { principalTypes?: string[]; resourceTypes?: string[]; context?: unknown }; memberOf?: { id: string; type?: string }[]; annotations?: Record<string, string> };
      model.actions.set(declKey('action', ns, id), {
        id,
        namespace: ns,
        uid: declKey('action', ns, id),
        principalTypes: (a.appliesTo?.principalTypes ?? []).map((p) => resolver.qualifyEntity(p, ns)),
        resourceTypes: (a.appliesTo?.resourceTypes ?? []).map((r) => resolver.qualifyEntity(r, ns)),
        context: a.appliesTo?.context ? resolver.resolve(a.appliesTo.context, ns) : { kind: 'Record', attributes: {} },
        memberOf: (a.memberOf ?? []).map((m) => `${m.type ?? (ns ? `${ns}::Action` : 'Action')}::${JSON.stringify(m.id)}`),
        doc: a.annotations?.doc,
        decl: declOf.get(declKey('action', ns, id)),
      });
    }
  }
}

function qualify(ns: string, name: string): string {
  return ns ? `${ns}::${name}` : name;
}

function locationOf(f: SchemaFileModel, d: SchemaDecl): Location {
  return { file: f.file, range: f.lines.range(d.nameStart, d.nameEnd), fullRange: f.lines.range(d.start, d.end) };
}

/**
 * Cedar's check of a schema merged from both formats (undeclared types, cycles…): offsets of a
 * JSON schema mean nothing, so each error goes on the file that names the culprit.
 */
function resolutionFindings(files: SchemaFileModel[], merged: SchemaJson): Finding[] {
  let errors: DetailedError[];
  try {
    const answer = cedar().checkParseSchema(merged);
    errors = answer.type === 'failure' ? answer.errors : [];
  } catch (e) {
    // A wrongly shaped JSON schema makes cedar-wasm throw instead of answering.
    errors = [{ message: `schema is not in Cedar's JSON format: ${String(e)}`, help: null, code: null, url: null, severity: null }];
  }
  return errors.map((err) => {
    for (const name of new Set(namesInError(err))) {
      for (const f of files) {
        const span = locateName(f, name);
        if (span) return findingFromCedarError({ ...err, sourceLocations: [] }, sliceOf(f.file, f.lines, 0, f.text.length, f.lines.range(span.start, span.end)), 'cedar-schema');
      }
    }
    const first = files.find((f) => f.format === 'json') ?? files[0];
    return findingFromCedarError({ ...err, sourceLocations: [] }, sliceOf(first.file, first.lines, 0, first.text.length), 'cedar-schema');
  });
}
