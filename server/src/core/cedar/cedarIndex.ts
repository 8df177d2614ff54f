import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { AgentIndex, WorkspaceTool } from '../agents/agentIndex';
import { deriveToolFragment, fragmentKeys } from '../agents/derivedSchema';
import { Engine, Memo } from '../engine';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import type { WorkspaceInputs } from '../workspace/inputs';
import { isInside } from '../workspace/paths';
import type { SettingsStore } from '../workspace/settingsStore';
import { type CedarPool, cedarGateway, type DetailedError, type SchemaJson } from './gateway';
import {
  parseStatements,
  policyParseFindings,
  PolicyValidator,
  rememberParse,
  unparsed,
  type ValidationBatch,
} from './policyCheck';
import { parsePolicyFile, type PolicyFileModel } from './policyFile';
import { checkTextFiles, combinedSchemaText, resolutionFindings, type TextCheck } from './schemaCheck';
import { declKey } from './schemaDecls';
import { parseSchemaFile, type SchemaFileModel } from './schemaFile';
import { buildSchemaModel, type SchemaModel } from './schemaModel';
import { prefetchEntitiesCheck } from './entitiesFile';

/** One promise per key while its work runs: asking for the same work again joins it. */
function joinInFlight(inFlight: Map<string, Promise<void>>, key: string, start: () => Promise<void>): Promise<void> {
  let running = inFlight.get(key);
  if (!running) {
    running = start().finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  return running;
}

/** Where the schema fragment derived from tools "lives": it has no file of its own. */
export const DERIVED_SCHEMA = '(derived from the workspace tools).cedarschema.json';

/** Which schema files, under which folder's settings, make the schema of a file. */
interface SchemaArg {
  paths: string[];
  root: string;
}

interface Fragment {
  /** Changes exactly when the fragment's content changes (its declarations' hashes, not its text). */
  fingerprint: string;
  model?: SchemaFileModel;
  /** Derived action uid → tool name and file, to place declarations on the tool's code. */
  tools: Map<string, string>;
  /** What Cedar's check of a merged schema depends on: the fragment without inputs and docs. */
  skeleton: string;
}

/**
 * The workspace's rule files (`.agentgov/rules/*.cedar`): Cedar too, but over the governance facts
 * schema instead of the workspace's, so they get the same parse and validation findings against it.
 */
export interface RuleFiles {
  isRuleFile(path: string): boolean;
  /** The governance facts schema. */
  schema(): SchemaModel;
}

/** A workspace without rule files (never asked for their schema). */
const NO_RULE_FILES: RuleFiles = {
  isRuleFile: () => false,
  schema: () => {
    throw new Error('no rule files, no facts schema');
  },
};

const sameFindings = (a: Finding[], b: Finding[]) => a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

/**
 * The Cedar side of the workspace as engine queries: policy and schema file models, the schema
 * of each file (its schema files plus the fragment derived from the tools), and validation
 * findings. Cedar's costly checks are remembered by content: the text check of a folder's
 * Cedar-syntax schema by its files' revisions, the check of a merged schema by everything but the
 * derived actions' inputs and docs (which cannot make it invalid), and validation by statement
 * and slice (policyCheck.ts).
 */
export class CedarIndex {
  readonly validator = new PolicyValidator();
  readonly policyModel: (path: string) => PolicyFileModel | undefined;
  readonly schemaFileModel: (path: string) => SchemaFileModel | undefined;
  private readonly schemaPaths: (path: string) => string[];
  private readonly textCheck: (paths: string) => TextCheck;
  private readonly fragment: (arg: string) => Fragment;
  private readonly schemaModel: (arg: string) => SchemaModel;
  private readonly derivedDecls: (arg: string) => number;
  private readonly validation: (path: string) => Finding[];
  private readonly mergedChecks = new Memo<string, DetailedError[]>('merged schema checks', 16);

  constructor(
    private readonly engine: Engine,
    private readonly inputs: WorkspaceInputs,
    private readonly settings: SettingsStore,
    private readonly agents: AgentIndex,
    /** Cedar's long calls run in workers: editor features then never wait for them. */
    private readonly workers = false,
    private readonly ruleFiles: RuleFiles = NO_RULE_FILES,
  ) {
    this.policyModel = engine.define('policyModel', (path) => {
      const e = inputs.file(path);
      return e?.kind === 'policy' ? parsePolicyFile(e.text) : undefined;
    });
    this.schemaFileModel = engine.define('schemaFileModel', (path) => {
      const e = inputs.file(path);
      return e?.kind === 'schema' ? parseSchemaFile(path, e.text) : undefined;
    });
    this.schemaPaths = engine.define('schemaPaths', (path) => this.findSchemaFiles(path), {
      equals: (a, b) => a.join('\n') === b.join('\n'),
      budget: 50_000,
    });
    this.textCheck = engine.define(
      'schemaTextCheck',
      (paths) => checkTextFiles((JSON.parse(paths) as string[]).map((p) => this.schemaFileModel(p)!)),
      { budget: 32 },
    );
    this.fragment = engine.define('derivedFragment', (arg) => this.deriveFragment(JSON.parse(arg) as SchemaArg), {
      equals: (a, b) => a.fingerprint === b.fingerprint && a.skeleton === b.skeleton,
      budget: 32,
    });
    this.schemaModel = engine.define('schemaModel', (arg) => this.buildModel(arg), { budget: 32 });
    this.derivedDecls = engine.define('derivedDecls', (arg) => this.placeDerivedDecls(arg), { budget: 32 });
    this.validation = engine.define(
      'validationFindings',
      (path) => {
        const model = this.policyModel(path);
        const schema = this.schemaFor(path);
        if (!model || !schema?.valid) return [];
        return this.validator.validate(schema, [{ file: path, model }]).get(path) ?? [];
      },
      { equals: sameFindings, budget: 50_000 },
    );
  }

  /** Schema files that apply to a file (SPEC §3): the configured one, else the nearest folder upward that has any. */
  schemaFilesFor(path: string): string[] {
    return this.schemaPaths(path);
  }

  private findSchemaFiles(path: string): string[] {
    // A rule file is judged against the facts schema, never the workspace's.
    if (this.ruleFiles.isRuleFile(path)) return [];
    const configured = this.settings.configuredSchema(path);
    if (configured) return this.inputs.file(configured)?.kind === 'schema' ? [configured] : [];
    const root = this.settings.rootOf(path);
    let dir = dirname(path);
    for (;;) {
      const found = this.inputs.inDir(dir, 'schema');
      if (found.length) return found;
      const parent = dirname(dir);
      if (parent === dir || (root !== undefined && !isInside(root, parent) && parent !== root)) return [];
      dir = parent;
    }
  }

  private schemaArg(path: string): string | undefined {
    const paths = this.schemaPaths(path);
    return paths.length ? JSON.stringify({ paths, root: this.settings.rootOf(path) ?? '' } satisfies SchemaArg) : undefined;
  }

  /**
   * The schema of a policy or entities file: its schema files plus the fragment derived from the
   * workspace's tools (SPEC §4), so `context.input` is typed from each tool's real inputs.
   */
  schemaFor(path: string): SchemaModel | undefined {
    if (this.ruleFiles.isRuleFile(path)) return this.ruleFiles.schema();
    const arg = this.schemaArg(path);
    if (!arg) return undefined;
    const model = this.schemaModel(arg);
    this.derivedDecls(arg);
    return model;
  }

  /**
   * The schema for editor features (hover, completion, definition): with Cedar workers (the
   * server), the schema last built for the same files, even while a newer check is pending, so a
   * request never waits behind the Cedar calls or the tool discovery a changed schema needs (a
   * burst of edits held a hover for over a second); the pending check builds the new one.
   */
  schemaForEditor(path: string): SchemaModel | undefined {
    if (this.ruleFiles.isRuleFile(path)) return this.ruleFiles.schema();
    const arg = this.schemaArg(path);
    if (!arg) return undefined;
    if (this.workers) {
      const last = this.engine.peek<SchemaModel>(Engine.keyOf('schemaModel', arg));
      if (last) return last;
    }
    return this.schemaFor(path);
  }

  /** The schema files a schema key names, as models (files gone are left out). */
  private schemaFilesOf(key: string): SchemaFileModel[] {
    return (JSON.parse(key) as SchemaArg).paths.map((p) => this.schemaFileModel(p)).filter((m): m is SchemaFileModel => !!m);
  }

  /** A key naming the schema a file is validated against (files sharing it validate together). */
  schemaKeyOf(path: string): string | undefined {
    return this.schemaArg(path);
  }

  private deriveFragment(arg: SchemaArg): Fragment {
    const models = arg.paths.map((p) => this.schemaFileModel(p)).filter((m): m is SchemaFileModel => !!m);
    const declaredActions = new Set(models.flatMap((m) => m.decls.filter((d) => d.kind === 'action').map((d) => d.name)));
    const declaredTypes = new Set(
      models.flatMap((m) => m.decls.filter((d) => d.kind === 'entity').map((d) => declKey('entity', d.namespace, d.name))),
    );
    const settings = arg.root ? this.settings.settingsFor(arg.root) : this.settings.settingsFor('');
    const derived = deriveToolFragment(this.agents.tools(), declaredActions, declaredTypes, this.agents.bindings(), settings);
    if (!derived.actions.size) return { fingerprint: '', tools: new Map(), skeleton: '' };
    const { fingerprint, skeleton } = fragmentKeys(derived.json);
    // The text (a megabyte for a thousand tools) is only read to place a Cedar error in it.
    let text: string | undefined;
    let lines: LineIndex | undefined;
    const model: SchemaFileModel = {
      file: DERIVED_SCHEMA,
      format: 'json',
      get text() {
        return (text ??= JSON.stringify(derived.json));
      },
      get lines() {
        return (lines ??= new LineIndex(this.text));
      },
      json: derived.json,
      decls: [],
      findings: [],
      valid: true,
    };
    return { fingerprint, model, skeleton, tools: new Map([...derived.actions].map(([uid, t]) => [uid, t.name])) };
  }

  private buildModel(argText: string): SchemaModel {
    const arg = JSON.parse(argText) as SchemaArg;
    const files = arg.paths.map((p) => this.schemaFileModel(p)).filter((m): m is SchemaFileModel => !!m);
    const fragment = this.fragment(argText);
    const textPaths = files.filter((f) => f.format === 'cedar').map((f) => f.file);
    const userJson = files.filter((f) => f.format === 'json');
    const key = this.mergedKey(textPaths, userJson, fragment);
    return buildSchemaModel(fragment.model ? [...files, fragment.model] : files, {
      text: () => this.textCheck(JSON.stringify(textPaths)),
      merged: (all, merged) =>
        resolutionFindings(
          all,
          merged,
          this.mergedChecks.getOr(key, () => cedarGateway.checkSchema(merged)),
        ),
    });
  }

  /**
   * What Cedar's check of a merged schema depends on. Derived inputs and docs cannot make a
   * merged schema invalid (only primitive, set and record types): the check is remembered by
   * everything else.
   */
  private mergedKey(textPaths: string[], userJson: SchemaFileModel[], fragment: Fragment): string {
    return createHash('sha1')
      .update(
        JSON.stringify([textPaths.map((p) => this.inputs.file(p)?.revision), userJson.map((f) => f.text), fragment.skeleton]),
      )
      .digest('hex');
  }

  /** An entities file's conformance check, in a worker (its findings then need no Cedar call here). */
  prefetchEntities(path: string, pool: CedarPool): Promise<void> | void {
    const text = this.inputs.file(path)?.text;
    if (text) return prefetchEntitiesCheck(text, this.schemaFor(path), pool);
  }

  /** Merged schema checks asked of a worker and not answered yet, so none is asked twice. */
  private readonly mergedInFlight = new Map<string, Promise<void>>();

  /** Text checks asked of a worker and not answered yet, so none is asked twice. */
  private readonly textsInFlight = new Map<string, Promise<void>>();

  /** A schema's Cedar-syntax files and their combined text, as Cedar is asked about it. */
  private cedarTextOf(key: string): { textFiles: SchemaFileModel[]; text: string } {
    const textFiles = this.schemaFilesOf(key).filter((f) => f.format === 'cedar');
    return { textFiles, text: combinedSchemaText(textFiles) };
  }

  /**
   * The check and conversion of a schema's Cedar-syntax text, in a worker. It needs no tools,
   * so it can start before tool discovery (the longest part of a cold start on the main thread).
   */
  prefetchSchemaText(key: string, pool: CedarPool): Promise<void> {
    const { textFiles, text } = this.cedarTextOf(key);
    if (!textFiles.length || cedarGateway.hasSchemaText(text)) return Promise.resolve();
    return joinInFlight(this.textsInFlight, text, () =>
      pool.schemaText(text).then((answer) => cedarGateway.rememberSchemaText(text, answer)),
    );
  }

  /**
   * Runs a schema's Cedar checks in a worker, so building it afterwards calls Cedar no more: the
   * Cedar-syntax text's check and conversion, then, if the tools were discovered by the time it
   * answers, the check of the merged schema (its files plus the fragment derived from the tools).
   */
  async prefetchSchema(key: string, pool: CedarPool): Promise<void> {
    const asked = this.cedarTextOf(key).text;
    await this.prefetchSchemaText(key, pool);
    // What follows runs on this thread when the worker answers. If the schema text changed
    // meanwhile, building the schema would check the new text here, outside any work unit (a
    // 1 MB schema line held the editor's thread for 20 s); if the tools are not derived yet, or
    // changed, deriving the fragment would discover tool files here (an edited one: 3 s). The
    // merged check then waits for `prefetchMergedSchema`, after discovery.
    if (this.cedarTextOf(key).text !== asked || !this.engine.upToDate(Engine.keyOf('derivedFragment', key))) return;
    await this.checkMergedSchema(key, pool);
  }

  /**
   * After tool discovery: derives the schema's fragment (cheap now) and, if the schema text's
   * check is in, runs the merged schema's check in a worker. If the text's check is still
   * running, its continuation runs the merged check when it answers (the fragment is derived
   * by then), so this unit never waits holding a worker's turn.
   */
  prefetchMergedSchema(key: string, pool: CedarPool): Promise<void> | undefined {
    this.fragment(key);
    const { textFiles, text } = this.cedarTextOf(key);
    if (textFiles.length && !cedarGateway.hasSchemaText(text)) return undefined;
    return this.checkMergedSchema(key, pool);
  }

  private async checkMergedSchema(key: string, pool: CedarPool): Promise<void> {
    const files = this.schemaFilesOf(key);
    const textFiles = files.filter((f) => f.format === 'cedar');
    const fragment = this.fragment(key);
    const userJson = files.filter((f) => f.format === 'json');
    const mergedKey = this.mergedKey(
      textFiles.map((f) => f.file),
      userJson,
      fragment,
    );
    if (this.mergedChecks.has(mergedKey) || (!userJson.length && !fragment.model)) return;
    return joinInFlight(this.mergedInFlight, mergedKey, async () => {
      let merged: SchemaJson | undefined;
      buildSchemaModel(fragment.model ? [...files, fragment.model] : files, {
        text: () => this.textCheck(JSON.stringify(textFiles.map((f) => f.file))),
        merged: (_all, m) => {
          merged = m;
          return [];
        },
      });
      if (merged) this.mergedChecks.set(mergedKey, await pool.checkSchema(merged));
    });
  }

  /** Derived actions are declared by the tool's code: hover and declaration point there. */
  private placeDerivedDecls(arg: string): number {
    const model = this.schemaModel(arg);
    const fragment = this.fragment(arg);
    let placed = 0;
    const byName = new Map<string, WorkspaceTool>();
    for (const t of this.agents.tools()) if (t.nameKnown && !byName.has(t.name)) byName.set(t.name, t);
    for (const [uid, name] of fragment.tools) {
      const tool = byName.get(name);
      const action = model.actions.get(uid);
      if (tool && action) {
        action.decl = { file: tool.file, range: tool.nameRange, fullRange: tool.range };
        placed++;
      }
    }
    return placed;
  }

  /** Parses the statements of these policy files together (one Cedar call for many), here or in a worker. */
  parsePolicies(paths: string[], pool?: CedarPool): void | Promise<void> {
    const statements = paths.flatMap((p) => this.policyModel(p)?.statements ?? []);
    if (!pool) return parseStatements(statements);
    const todo = unparsed(statements);
    if (!todo.length) return;
    return pool.parse(todo).then((errors) => errors.forEach((e, i) => rememberParse(todo[i], e)));
  }

  /** Parse findings of a policy file (Cedar, statement by statement). */
  policyParseFindings(path: string): Finding[] {
    const model = this.policyModel(path);
    return model ? policyParseFindings(path, model) : [];
  }

  /** Validation findings of a policy file against its schema. */
  validationFindings(path: string): Finding[] {
    return this.validation(path);
  }

  /** The Cedar calls still needed to validate these policy files, grouped by schema. */
  validationBatches(paths: string[]): ValidationBatch[] {
    const bySchema = new Map<string, string[]>();
    for (const p of paths) {
      const key = this.schemaArg(p);
      if (key) bySchema.set(key, [...(bySchema.get(key) ?? []), p]);
    }
    const out: ValidationBatch[] = [];
    const rules = paths.filter((p) => this.ruleFiles.isRuleFile(p));
    if (rules.length) out.push(...this.validator.batches(this.ruleFiles.schema(), this.modelsOf(rules)));
    for (const [key, files] of bySchema) {
      const schema = this.schemaModel(key);
      this.derivedDecls(key);
      out.push(...this.validator.batches(schema, this.modelsOf(files)));
    }
    return out;
  }

  private modelsOf(files: string[]): { file: string; model: PolicyFileModel }[] {
    return files.flatMap((file) => {
      const model = this.policyModel(file);
      return model ? [{ file, model }] : [];
    });
  }

  /** Schema arguments of the files given (for scheduling the schema builds one by one). */
  schemaKeys(paths: string[]): string[] {
    return [...new Set(paths.map((p) => this.schemaArg(p)).filter((k): k is string => !!k))];
  }

  /** Builds (or recalls) one schema by its key. */
  buildSchema(key: string): SchemaModel {
    const m = this.schemaModel(key);
    this.derivedDecls(key);
    return m;
  }
}
