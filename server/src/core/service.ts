import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { AgentIndex } from './agents/agentIndex';
import { problemFinding, unknownToolFindings } from './agents/agentFindings';
import { deriveToolFragment } from './agents/derivedSchema';
import { entitiesFindings } from './cedar/entitiesFile';
import { policyParseFindings, PolicyValidator } from './cedar/policyCheck';
import { parsePolicyFile, type PolicyFileModel } from './cedar/policyFile';
import { parseSchemaFile, type SchemaFileModel } from './cedar/schemaFile';
import { declKey } from './cedar/schemaDecls';
import { buildSchemaModel, type SchemaModel } from './cedar/schemaModel';
import { duplicateIdFindings } from './findings/duplicateIds';
import type { CedarRuleId, Finding } from './findings/finding';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { LineIndex } from './text/lineIndex';
import { FIRST_LINE } from './text/range';
import { toolFileKind } from './tools/fileKind';
import { isCedarKind } from './workspace/fileKinds';
import { type FileEntry, WorkspaceFiles } from './workspace/files';
import type { FileSystemHost } from './workspace/fileSystem';

export interface ServiceOptions {
  fs: FileSystemHost;
  /** Absolute paths of the workspace folders. */
  roots: string[];
  settings?: Partial<Settings>;
}

const READ_RULE: Record<string, CedarRuleId> = { policy: 'cedar-parse', schema: 'cedar-schema', entities: 'cedar-parse' };

/** Where the schema fragment derived from tools "lives": it has no file of its own. */
export const DERIVED_SCHEMA = '(derived from the workspace tools).cedarschema.json';

/**
 * The analysis core's one facade: the language server, the CLI and the tests all hold a
 * service, feed it file events, and ask it for findings and editor answers.
 */
export class GovernanceService {
  readonly files: WorkspaceFiles;
  /** Tools, identity bindings and MCP configurations. */
  readonly agents: AgentIndex;
  private settings: Settings;
  private readonly policyModels = new Map<string, { revision: number; model: PolicyFileModel }>();
  private readonly schemaFiles = new Map<string, { revision: number; model: SchemaFileModel }>();
  private readonly schemaModels = new Map<string, SchemaModel>();
  private readonly schemaByRevision = new Map<string, SchemaModel>();
  private readonly validator = new PolicyValidator();

  constructor(readonly options: ServiceOptions) {
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.files = new WorkspaceFiles(options.fs, this.settings.maxFileBytes);
    this.agents = new AgentIndex(this.files);
  }

  get roots(): string[] {
    return this.options.roots;
  }

  configure(settings: Partial<Settings>): void {
    this.settings = { ...this.settings, ...settings };
    this.files.maxFileBytes = this.settings.maxFileBytes;
  }

  getSettings(): Readonly<Settings> {
    return this.settings;
  }

  /** Reads every workspace file of a known kind from disk. */
  scan(): void {
    this.files.scan(this.roots);
  }

  // ---- file events; each returns the files whose findings may have changed ----

  openDocument(path: string, text: string): string[] {
    return this.track(path, () => this.files.setOpenText(path, text));
  }

  changeDocument(path: string, text: string): string[] {
    return this.openDocument(path, text);
  }

  /** A closed document falls back to the disk; one outside every workspace folder is forgotten. */
  closeDocument(path: string): string[] {
    const inWorkspace = this.roots.some((r) => isInside(r, path));
    return this.track(path, () => (inWorkspace ? this.files.close(path) : this.files.remove(path)));
  }

  diskChanged(path: string): string[] {
    return this.track(path, () => this.files.loadFromDisk(path));
  }

  diskDeleted(path: string): string[] {
    return this.track(path, () => this.files.remove(path));
  }

  private track(path: string, change: () => void): string[] {
    const before = this.files.get(path);
    const oldIds = before?.kind === 'policy' ? this.annotatedIds(path) : [];
    const agentFile = !!before && !isCedarKind(before.kind);
    const oldSignature = agentFile ? this.agentSignature() : '';
    change();
    const after = this.files.get(path);
    const kind = after?.kind ?? before?.kind;
    if (!isCedarKind(kind)) {
      // Tools and bindings shape the derived schema and AG003: when what they declare changes,
      // every policy and binding may change too; an edit inside a handler changes nothing else.
      if (!agentFile && !after) return [path];
      if (this.agentSignature() === oldSignature) return [path];
      const others = this.files.all().filter((e) => e.kind === 'policy' || e.kind === 'binding').map((e) => e.path);
      return [path, ...others.filter((p) => p !== path)];
    }
    if (kind === 'schema') return this.filesUsingSchema(path);
    if (kind === 'policy') {
      const ids = new Set([...oldIds, ...this.annotatedIds(path)]);
      const sharing = this.files.all('policy').filter((e) => e.path !== path && this.annotatedIds(e.path).some((id) => ids.has(id)));
      return [path, ...sharing.map((e) => e.path)];
    }
    return [path];
  }

  /** What tools and bindings declare to the rest of the workspace (names, servers, inputs, principals). */
  private agentSignature(): string {
    const tools = this.agents.tools().map((t) => [t.name, t.server, t.input]);
    const bindings = this.agents.bindings().map((b) => [b.file, b.name, b.principal?.type, b.tools.map((r) => r.ref)]);
    return JSON.stringify([tools, bindings]);
  }

  private annotatedIds(path: string): string[] {
    const m = this.policyModel(path);
    return m ? m.statements.filter((s) => s.idFromAnnotation).map((s) => s.id) : [];
  }

  /** A schema change can reach every Cedar file below its folder (or all, for the configured schema). */
  private filesUsingSchema(schemaPath: string): string[] {
    const all = this.files.all().filter((e) => isCedarKind(e.kind));
    const configured = this.configuredSchemaPath();
    if (configured === schemaPath) return all.map((e) => e.path);
    const dir = dirname(schemaPath);
    const hits = all.filter((e) => e.path === schemaPath || isInside(dir, e.path)).map((e) => e.path);
    return hits.includes(schemaPath) ? hits : [schemaPath, ...hits];
  }

  // ---- models ----

  policyModel(path: string): PolicyFileModel | undefined {
    const e = this.files.get(path);
    if (e?.kind !== 'policy') return undefined;
    const hit = this.policyModels.get(path);
    if (hit?.revision === e.revision) return hit.model;
    const model = parsePolicyFile(e.text);
    this.policyModels.set(path, { revision: e.revision, model });
    return model;
  }

  schemaFileModel(path: string): SchemaFileModel | undefined {
    const e = this.files.get(path);
    if (e?.kind !== 'schema') return undefined;
    const hit = this.schemaFiles.get(path);
    if (hit?.revision === e.revision) return hit.model;
    const model = parseSchemaFile(path, e.text);
    this.schemaFiles.set(path, { revision: e.revision, model });
    return model;
  }

  private configuredSchemaPath(): string | undefined {
    const s = this.settings.schemaFile;
    if (!s) return undefined;
    return isAbsolute(s) ? s : join(this.roots[0] ?? '', s);
  }

  /** Schema files that apply to a file (SPEC §3): the configured one, else the nearest folder upward that has any. */
  schemaFilesFor(path: string): string[] {
    const configured = this.configuredSchemaPath();
    if (configured) return this.files.get(configured)?.kind === 'schema' ? [configured] : [];
    const root = this.roots.filter((r) => isInside(r, path)).sort((a, b) => b.length - a.length)[0];
    let dir = dirname(path);
    for (;;) {
      const found = this.files.inDir(dir, 'schema').map((e) => e.path);
      if (found.length) return found.sort();
      const parent = dirname(dir);
      if (parent === dir || (root !== undefined && !isInside(root, parent) && parent !== root)) return [];
      dir = parent;
    }
  }

  /**
   * The schema of a policy or entities file: its schema files plus the fragment derived from the
   * workspace's tools (SPEC §4), so `context.input` is typed from each tool's real inputs.
   */
  schemaFor(path: string): SchemaModel | undefined {
    const paths = this.schemaFilesFor(path);
    if (!paths.length) return undefined;
    const schemaRevisions = paths.map((p) => `${p}@${this.files.get(p)!.revision}`).join('|');
    // Deriving the tools' fragment is only needed when a schema, tool or binding file changed…
    const revisionKey = `${schemaRevisions}#${this.agents.revisionKey()}#${this.settings.actionNamespace}#${this.settings.resourceType}`;
    const known = this.schemaByRevision.get(revisionKey);
    if (known) return known;
    const models = paths.map((p) => this.schemaFileModel(p)!).filter(Boolean);
    const declaredActions = new Set(models.flatMap((m) => m.decls.filter((d) => d.kind === 'action').map((d) => d.name)));
    const declaredTypes = new Set(models.flatMap((m) => m.decls.filter((d) => d.kind === 'entity').map((d) => declKey('entity', d.namespace, d.name))));
    const derived = deriveToolFragment(this.agents.tools(), declaredActions, declaredTypes, this.agents.bindings(), this.settings);
    const derivedText = derived.actions.size ? JSON.stringify(derived.json) : '';
    // …and the model only when the fragment's content changed (not for an edit inside a handler).
    const key = `${schemaRevisions}#${derivedText}`;
    let model = this.schemaModels.get(key);
    if (!model) {
      const fragment: SchemaFileModel[] = derivedText ? [{ file: DERIVED_SCHEMA, format: 'json', text: derivedText, lines: new LineIndex(derivedText), json: derived.json, decls: [], findings: [], valid: true }] : [];
      model = buildSchemaModel([...models, ...fragment]);
      for (const [uid, tool] of derived.actions) {
        const action = model.actions.get(uid);
        if (action) action.decl = { file: tool.file, range: tool.nameRange, fullRange: tool.range };
      }
      if (this.schemaModels.size > 32) this.schemaModels.clear();
      this.schemaModels.set(key, model);
    }
    if (this.schemaByRevision.size > 32) this.schemaByRevision.clear();
    this.schemaByRevision.set(revisionKey, model);
    return model;
  }

  // ---- findings ----

  /** Every file the core reports on: Cedar files, bindings, MCP configs, and files that define tools. */
  checkedFiles(): string[] {
    return this.files
      .all()
      .filter((e) => isCedarKind(e.kind) || this.isAgentFile(e.path))
      .map((e) => e.path)
      .sort();
  }

  private isAgentFile(path: string): boolean {
    const kind = toolFileKind(path);
    if (kind === 'binding' || kind === 'mcp-config') return true;
    if (kind !== 'typescript' && kind !== 'tool-json') return false;
    return this.agents.fileProblems(path).length > 0 || this.agents.tools().some((t) => t.file === path);
  }

  /** Findings of one file. */
  findings(path: string): Finding[] {
    return this.findingsOf([path]).get(path) ?? [];
  }

  /** Findings of every checked file, validating each schema's policies in one batch. */
  checkAll(): Map<string, Finding[]> {
    return this.findingsOf(this.checkedFiles());
  }

  findingsOf(paths: string[]): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    const policyGroups = new Map<SchemaModel | undefined, string[]>();
    const add = (p: string, fs: Finding[]) => out.set(p, [...(out.get(p) ?? []), ...fs]);
    for (const path of paths) {
      const e = this.files.get(path);
      if (!e) continue;
      try {
        this.fileFindings(e, add, policyGroups, out);
      } catch (err) {
        // A bug or an input we did not foresee costs this file its findings, never the others'.
        out.set(path, [internalErrorFinding(path, err)]);
      }
    }
    for (const [schema, group] of policyGroups) {
      if (!schema) continue;
      if (!schema.valid) {
        for (const p of group) add(p, [this.schemaBrokenFinding(p, schema)]);
        continue;
      }
      try {
        const results = this.validator.validate(schema, group.map((file) => ({ file, model: this.policyModel(file)! })));
        for (const [file, fs] of results) add(file, fs);
      } catch (err) {
        for (const file of group) add(file, [internalErrorFinding(file, err)]);
      }
    }
    if (policyGroups.size) {
      const dups = duplicateIdFindings(this.files.all('policy').map((e) => ({ file: e.path, model: this.policyModel(e.path)! })));
      for (const [file, fs] of dups) if (out.has(file)) add(file, fs);
    }
    return out;
  }

  /** One file's own findings; policy files also join the validation group of their schema. */
  private fileFindings(e: FileEntry, add: (p: string, fs: Finding[]) => void, policyGroups: Map<SchemaModel | undefined, string[]>, out: Map<string, Finding[]>): void {
    const path = e.path;
    if (!isCedarKind(e.kind)) {
      if (this.isAgentFile(path)) out.set(path, this.agentFindings(path));
      return;
    }
    out.set(path, []);
    if (e.readProblem) {
      add(path, [this.readFinding(e)]);
      if (!e.text) return;
    }
    if (e.kind === 'schema') add(path, this.schemaFindings(path));
    else if (e.kind === 'entities') add(path, entitiesFindings(path, e.text, this.schemaFor(path)));
    else {
      add(path, this.policyOwnFindings(path));
      const schema = this.schemaFor(path);
      const group = policyGroups.get(schema) ?? [];
      group.push(path);
      policyGroups.set(schema, group);
    }
  }

  private agentFindings(path: string): Finding[] {
    const kind = toolFileKind(path);
    const area = kind === 'binding' ? 'binding' : kind === 'mcp-config' ? 'mcp-config' : 'tools';
    const findings = this.agents.fileProblems(path).map((p) => problemFinding(p, area));
    if (kind === 'binding') findings.push(...unknownToolFindings(this.agents, path));
    return findings;
  }

  private readFinding(e: FileEntry): Finding {
    const p = e.readProblem!;
    const pos = (this.policyModel(e.path)?.lines ?? this.schemaFileModel(e.path)?.lines ?? new LineIndex(e.text)).positionAt(p.offset);
    return { ruleId: READ_RULE[e.kind], severity: p.severity, message: p.message, file: e.path, range: { start: pos, end: pos } };
  }

  private policyOwnFindings(path: string): Finding[] {
    const model = this.policyModel(path)!;
    if (!model.statements.length) {
      return [{ ruleId: 'cedar-parse', severity: 'info', message: 'This file holds no policies.', file: path, range: FIRST_LINE }];
    }
    return policyParseFindings(path, model);
  }

  private schemaFindings(path: string): Finding[] {
    const own = this.schemaFileModel(path)!.findings;
    const merged = this.schemaFor(path)?.findings.filter((f) => f.file === path) ?? [];
    return [...own, ...merged];
  }

  private schemaBrokenFinding(path: string, schema: SchemaModel): Finding {
    const broken = schema.brokenFiles();
    return {
      ruleId: 'cedar-schema',
      severity: 'warning',
      message: `Policies not validated: the schema ${broken.map((b) => this.displayPath(b)).join(', ')} has errors.`,
      file: path,
      range: FIRST_LINE,
      related: broken.map((b) => ({ file: b, range: FIRST_LINE, message: 'schema with errors' })),
    };
  }

  /** A path relative to its workspace folder, with `/`. */
  displayPath(path: string): string {
    const root = this.roots.find((r) => isInside(r, path));
    return (root ? relative(root, path) : path).split(sep).join('/');
  }
}

function internalErrorFinding(file: string, err: unknown): Finding {
  const message = err instanceof Error ? err.message : String(err);
  return { ruleId: 'agentgov-internal', severity: 'error', message: `This file could not be checked: ${message}`, file, range: FIRST_LINE };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !!rel && !rel.startsWith('..') && !isAbsolute(rel);
}
