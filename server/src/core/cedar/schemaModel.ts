import { createHash } from 'node:crypto';
import type { Finding } from '../findings/finding';
import type { Range } from '../text/range';
import { declKey, qualify, type SchemaDecl } from './schemaDecls';
import { checkTextFiles, resolutionFindings, type TextCheck } from './schemaCheck';
import type { SchemaFileModel } from './schemaFile';
import { mergeJson } from './schemaMerge';
import { type Attribute, type CedarType, TypeResolver } from './types';
import type { SchemaJson } from './gateway';

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
  /** Every file parses and the merged schema resolves, so policies can be validated against it. */
  valid = true;
  private identity?: string;

  constructor(
    readonly files: SchemaFileModel[],
    readonly json: SchemaJson,
  ) {}

  /** Stable identity of the merged schema, for caches; made when first asked (a megabyte of JSON for a thousand tools). */
  get key(): string {
    return (this.identity ??= createHash('sha1').update(JSON.stringify(this.json)).digest('hex'));
  }

  /** Files with an error of their own or of the merge. */
  brokenFiles(): string[] {
    const bad = new Set(this.findings.filter((f) => f.severity === 'error').map((f) => f.file));
    for (const f of this.files) if (!f.valid || f.findings.some((x) => x.severity === 'error')) bad.add(f.file);
    return [...bad];
  }
}

/** Cedar's two checks of a schema, which the engine remembers (they cost the most). */
export interface SchemaChecks {
  /** The Cedar-syntax files, checked as one text. */
  text(files: SchemaFileModel[]): TextCheck;
  /** Errors of the merged schema when JSON files join (undeclared types, cycles…). */
  merged(files: SchemaFileModel[], merged: SchemaJson): Finding[];
}

const DIRECT_CHECKS: SchemaChecks = { text: checkTextFiles, merged: resolutionFindings };

/**
 * Builds the schema of a folder. Its Cedar-syntax files are checked as one text (a file may use
 * types another declares; Cedar reports exact offsets, mapped back to each file), JSON files are
 * merged in by namespace, and the result is checked once more when both formats meet.
 */
export function buildSchemaModel(files: SchemaFileModel[], checks: SchemaChecks = DIRECT_CHECKS): SchemaModel {
  const textFiles = files.filter((f) => f.format === 'cedar');
  const jsonFiles = files.filter((f) => f.format === 'json' && f.json);
  const findings: Finding[] = [];
  const fromText = textFiles.length ? checks.text(textFiles) : { json: {}, findings: [], ok: true };
  findings.push(...fromText.findings);
  const { merged, duplicates } = mergeJson([
    { json: fromText.json, file: textFiles[0] },
    ...jsonFiles.map((f) => ({ json: f.json!, file: f })),
  ]);
  findings.push(...duplicates);
  let ok = fromText.ok && !duplicates.length && files.every((f) => f.valid);
  if (ok && jsonFiles.length) {
    const resolution = checks.merged(files, merged);
    findings.push(...resolution);
    ok = !resolution.length;
  }
  const model = new SchemaModel(files, merged);
  model.findings.push(...findings);
  model.valid = ok;
  index(model, merged, files);
  return model;
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
  // What resolving a declaration's types depends on besides the declaration itself.
  const resolving = JSON.stringify([[...entityNames].sort(), [...commons]]);
  for (const [ns, def] of Object.entries(json)) {
    for (const [name, raw] of Object.entries(def.entityTypes ?? {})) {
      const et = raw as {
        shape?: unknown;
        memberOfTypes?: string[];
        tags?: unknown;
        enum?: string[];
        annotations?: Record<string, string>;
      };
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
      const a = raw as {
        appliesTo?: { principalTypes?: string[]; resourceTypes?: string[]; context?: unknown };
        memberOf?: { id: string; type?: string }[];
        annotations?: Record<string, string>;
      };
      let types = resolvedActions.get(a);
      if (types?.ns !== ns || types.resolving !== resolving) {
        types = {
          ns,
          resolving,
          principalTypes: (a.appliesTo?.principalTypes ?? []).map((p) => resolver.qualifyEntity(p, ns)),
          resourceTypes: (a.appliesTo?.resourceTypes ?? []).map((r) => resolver.qualifyEntity(r, ns)),
          context: a.appliesTo?.context ? resolver.resolve(a.appliesTo.context, ns) : { kind: 'Record', attributes: {} },
          memberOf: (a.memberOf ?? []).map((m) => `${m.type ?? (ns ? `${ns}::Action` : 'Action')}::${JSON.stringify(m.id)}`),
        };
        resolvedActions.set(a, types);
      }
      model.actions.set(declKey('action', ns, id), {
        id,
        namespace: ns,
        uid: declKey('action', ns, id),
        principalTypes: types.principalTypes,
        resourceTypes: types.resourceTypes,
        context: types.context,
        memberOf: types.memberOf,
        doc: a.annotations?.doc,
        decl: declOf.get(declKey('action', ns, id)),
      });
    }
  }
}

/**
 * An action declaration's resolved types, by its object: a schema rebuilt after one tool's edit
 * keeps the other declarations' objects, and resolving a thousand contexts again was most of
 * rebuilding it. Shared read-only between the models of such schemas.
 */
const resolvedActions = new WeakMap<
  object,
  Pick<ActionInfo, 'principalTypes' | 'resourceTypes' | 'context' | 'memberOf'> & { ns: string; resolving: string }
>();

function locationOf(f: SchemaFileModel, d: SchemaDecl): Location {
  return { file: f.file, range: f.lines.range(d.nameStart, d.nameEnd), fullRange: f.lines.range(d.start, d.end) };
}
