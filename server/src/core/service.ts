import { AgentIndex } from './agents/agentIndex';
import { buildInventory, type Inventory } from './agents/inventory';
import type { AgentBinding, ToolRef } from './bindings/model';
import { CedarIndex } from './cedar/cedarIndex';
import { cedarGateway, type CallStats } from './cedar/gateway';
import type { PolicyFileModel } from './cedar/policyFile';
import type { ValidationBatch } from './cedar/policyCheck';
import type { SchemaFileModel } from './cedar/schemaFile';
import type { SchemaModel } from './cedar/schemaModel';
import { BARRIER, Engine, labelled, type ReadyStep, runWork, type WorkStep, type WorkUnit } from './engine';
import { CedarPool, cedarMemoryBytes } from './cedar/gateway';
import { WorkspaceConfig } from './config/workspaceConfig';
import { FileChecks } from './findings/fileChecks';
import { factsSchemaModel } from './governance/factsSchema';
import type { RuleInfo } from './governance/rulePack';
import { WorkspaceRules } from './governance/workspaceRules';
import { accessInputs } from './governance';
import { decidePairs, prefetchPairs } from './governance/facts/access';
import type { Finding } from './findings/finding';
import { formatDocument, type FormatOptions } from './language/format';
import type { FileCoverage, RequestTestFile, RunOptions, TestFileRun, TestProblem } from './requestTests';
import { WorkspaceRequestTests } from './requestTests/workspaceTests';
import { type GenerateTarget, type Generation, generateRequestTests } from './requestTests/generateTests';
import { type UntestedPolicy, untestedPolicies, workspaceCoverage } from './requestTests/untested';
import type { WorkspacePolicySet } from './policies/policySet';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { McpConfig } from './tools/mcpConfigModel';
import type { DiscoveryProblem } from './tools/model';
import { type FileKind, fileKindOf } from './workspace/fileKinds';
import { type FileEntry, WorkspaceFiles } from './workspace/files';
import type { FileSystemHost } from './workspace/fileSystem';
import { WorkspaceInputs } from './workspace/inputs';
import { displayPath, isInside, isNeverRead } from './workspace/paths';
import { SettingsStore } from './workspace/settingsStore';
import type { AgentView, WorkspaceTool } from './agents/agentIndex';
import {
  type AccessMatrix,
  accessMatrix,
  defaultContextFor,
  type MatrixOptions,
  simulate,
  type SimulationRequest,
  type SimulationResult,
  simulationWorkspace,
} from './simulation';

export { DERIVED_SCHEMA } from './cedar/cedarIndex';

export interface ServiceOptions {
  fs: FileSystemHost;
  /** Absolute paths of the workspace folders. */
  roots: string[];
  /** Settings of every folder (each folder may be configured on its own later). */
  settings?: Partial<Settings>;
  /** Cedar workers for the long Cedar calls (the bundles have them; in-process without). */
  pool?: CedarPool;
}

/** What happened to a path on disk (a watched-file event). */
export type DiskEvent = 'created' | 'changed' | 'deleted';

export type { WorkStep, WorkUnit } from './engine';

/**
 * The analysis core's one facade: the language server, the CLI and the tests all hold a
 * service, feed it file events, and ask it for findings and editor answers. Each event answers
 * the files whose findings may have changed, from the dependencies the engine recorded.
 */
export class GovernanceService {
  private readonly engine = new Engine();
  private readonly files: WorkspaceFiles;
  private readonly inputs: WorkspaceInputs;
  private readonly settings: SettingsStore;
  private readonly agentIndex: AgentIndex;
  private readonly cedar: CedarIndex;
  private readonly checks: FileChecks;
  private readonly config: WorkspaceConfig;
  private readonly rules: WorkspaceRules;
  private readonly requestTestsOf: WorkspaceRequestTests;
  private folders: string[];
  private readonly pool: CedarPool | undefined;

  constructor(options: ServiceOptions) {
    this.folders = [...options.roots];
    this.pool = options.pool;
    this.settings = new SettingsStore(this.engine, () => this.folders);
    this.settings.set({ ...DEFAULT_SETTINGS, ...options.settings });
    this.files = new WorkspaceFiles(options.fs, (p) => this.settings.settingsFor(p).maxFileBytes);
    this.inputs = new WorkspaceInputs(this.engine, this.files);
    this.config = new WorkspaceConfig(this.engine, this.inputs, this.settings);
    this.agentIndex = new AgentIndex(this.engine, this.inputs, !!options.pool, (p) => this.config.riskOptionsFor(p));
    this.cedar = new CedarIndex(this.engine, this.inputs, this.settings, this.agentIndex, !!options.pool, {
      isRuleFile: (p) => this.config.isRuleFile(p),
      schema: factsSchemaModel,
    });
    this.rules = new WorkspaceRules(this.engine, this.config, this.cedar, () => this.folders);
    this.requestTestsOf = new WorkspaceRequestTests(
      this.inputs,
      options.fs,
      () => this.folders,
      (p) => this.displayPath(p),
    );
    this.checks = new FileChecks(
      this.engine,
      this.inputs,
      this.cedar,
      this.agentIndex,
      (p) => this.displayPath(p),
      (p) => this.settings.settingsFor(p),
      this.rules,
      (p) => this.requestTestsOf.findings(p),
    );
  }

  get roots(): readonly string[] {
    return this.folders;
  }

  /**
   * The agents, tools and bindings of the workspace, for editor features (read-only): in the
   * server, as last computed while a newer check is pending (`AgentIndex.editorView`).
   */
  get agents(): AgentView {
    return this.agentIndex.editorView();
  }

  // ---- settings and folders; each answers the files whose findings may have changed ----

  /** Settings of one folder, or of every folder without `root`. */
  configure(settings: Partial<Settings>, root?: string): string[] {
    const keys = this.settings.set(settings, root);
    return keys.length ? this.affectedBy(keys, []) : [];
  }

  getSettings(path?: string): Readonly<Settings> {
    return this.settings.settingsFor(path ?? this.folders[0] ?? '');
  }

  /** Reads every workspace file of a known kind from disk; answers them. */
  scan(): string[] {
    const read = this.files.scan(this.folders);
    for (const p of read) this.inputs.sync(p);
    this.inputs.flush();
    return read;
  }

  /** A workspace folder added: its files are read. */
  addFolder(root: string): string[] {
    if (this.folders.includes(root)) return [];
    this.folders = [...this.folders, root];
    const keys = this.settings.set({}, root);
    const read = this.files.scan([root]);
    for (const p of read) keys.push(...this.inputs.sync(p));
    keys.push(...this.inputs.flush());
    return this.affectedBy(keys, read);
  }

  /** A workspace folder removed: its files are forgotten, unless open in the editor. */
  removeFolder(root: string): string[] {
    if (!this.folders.includes(root)) return [];
    this.folders = this.folders.filter((r) => r !== root);
    const gone = this.files.below(root).filter((p) => !this.files.get(p)?.open && !this.folders.some((r) => isInside(r, p)));
    return this.change(gone, () => gone.forEach((p) => this.files.remove(p)));
  }

  // ---- file events ----

  openDocument(path: string, text: string): string[] {
    return this.change([path], () => this.files.setOpenText(path, text));
  }

  changeDocument(path: string, text: string): string[] {
    return this.openDocument(path, text);
  }

  /** A closed document falls back to the disk; one outside every workspace folder is forgotten. */
  closeDocument(path: string): string[] {
    const inWorkspace = this.folders.some((r) => isInside(r, path));
    return this.change([path], () => (inWorkspace ? this.files.close(path) : this.files.remove(path)));
  }

  /**
   * A watched-file event. Events are hints of where to look, never the truth: they come late,
   * twice, out of order, or for files already gone again, so every file the event may concern is
   * read again from disk (a folder created, deleted or moved in one go stands for the files in
   * it, known and on disk). A file open in the editor keeps the editor's text; a file outside
   * every workspace folder is forgotten. `event` only decides where to look.
   */
  diskEvent(path: string, _event: DiskEvent): string[] {
    if (isNeverRead(path)) return [];
    const known = this.files.get(path) ? [path] : this.files.below(path);
    const onDisk = known.length === 1 && known[0] === path ? [] : this.files.listDisk(path);
    const targets = [...new Set([...(fileKindOf(path) ? [path] : []), ...known, ...onDisk])];
    return this.change(targets, () => targets.forEach((p) => this.refresh(p)));
  }

  /** A file's entry made to agree with the disk (the editor's text wins while open). */
  private refresh(path: string): void {
    if (this.files.get(path)?.open) return;
    if (this.folders.some((r) => isInside(r, path))) this.files.loadFromDisk(path);
    else this.files.remove(path);
  }

  diskChanged(path: string): string[] {
    return this.diskEvent(path, 'changed');
  }

  diskDeleted(path: string): string[] {
    return this.diskEvent(path, 'deleted');
  }

  private change(paths: string[], mutate: () => void): string[] {
    mutate();
    const keys: string[] = [];
    for (const p of paths) keys.push(...this.inputs.sync(p));
    keys.push(...this.inputs.flush());
    return this.affectedBy(keys, paths);
  }

  private affectedBy(inputKeys: string[], paths: string[]): string[] {
    return [...new Set([...paths, ...this.checks.affected(inputKeys)])];
  }

  // ---- findings ----

  /** Every file the core reports on: Cedar files, bindings, MCP configs, and files that define tools. */
  checkedFiles(): string[] {
    return this.checks.checkedFiles();
  }

  /** Findings of one file. */
  findings(path: string): Finding[] {
    return this.checks.findings(path) ?? [];
  }

  /** Findings of every checked file, computed in this thread. */
  checkAll(): Map<string, Finding[]> {
    const paths = this.checkedFiles();
    for (const unit of this.plan(paths, false)) if (typeof unit === 'function') void unit();
    return this.findingsOf(paths);
  }

  /**
   * Starts, in the workers, the Cedar work that needs no tools (the schema texts' checks), so it
   * overlaps with tool discovery; what it computes is remembered. Call it right after `scan`.
   */
  warmUp(): void {
    const pool = this.pool;
    if (!pool) return;
    for (const key of this.cedar.schemaKeys(this.inputs.paths('policy')))
      this.cedar.prefetchSchemaText(key, pool).catch(() => {
        // The plan asks again, or builds the schema in this thread.
      });
  }

  /** Findings of every checked file, the long Cedar calls in the workers (as many at once as there are). */
  async checkAllAsync(): Promise<Map<string, Finding[]>> {
    this.warmUp();
    // Worker answers are events: between this thread's units it lets them in every few
    // milliseconds, so a worker that finished a call gets the next one queued for it at once.
    let turn = performance.now();
    await runWork(this.plan(this.firstCheckFiles()), {
      concurrency: this.pool?.workers ?? 1,
      pause: async () => {
        if (performance.now() - turn < 4) return;
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      },
      onError: () => {
        // A unit that failed leaves its work to the findings, which compute it again in this thread.
      },
    });
    return this.findingsOf(this.checkedFiles());
  }

  /**
   * What a first check plans over: the checked files, and every tool file (which of them define
   * tools is known only once the plan has discovered them, while the Cedar workers already parse).
   */
  firstCheckFiles(): string[] {
    return this.checks.candidateFiles();
  }

  /** Ends the Cedar workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Findings of the given files that are checked; a file that is gone or not checked is absent. */
  findingsOf(paths: Iterable<string>): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const p of paths) {
      const f = this.checks.findings(p);
      if (f) out.set(p, f);
    }
    return out;
  }

  /**
   * The work that computing these files' findings needs, in small units (tool discovery file by
   * file, policy parsing a few files at a time, each schema, validation call by call), so a
   * caller can yield between them and stop when the work is overtaken. With Cedar workers, the
   * Cedar calls run there (units answer promises). What a unit computed is remembered.
   *
   * Validation runs in phases: the `first` files' sliced calls, the others' sliced calls, then
   * the long whole-schema calls (the `first` files' again first). Before each phase, a ready
   * step names the files that wait for nothing left, so a caller hands them out early.
   */
  *plan(paths: string[], useWorkers = true, isFirst: (path: string) => boolean = () => false): Generator<WorkStep> {
    // Asked once per file: sorting asks many times, and the server's answer converts a path to a URI.
    const firsts = new Set(paths.filter(isFirst));
    const first = (p: string) => firsts.has(p);
    const pool = useWorkers ? this.pool : undefined;
    const keys = this.cedar.schemaKeys(paths);
    const worker = { worker: !!pool };
    // The schemas' Cedar checks (the longest calls) start first, in the workers, and the policies'
    // parsing is queued for them, while this thread discovers tools; a merged schema's check
    // follows as soon as both its text is checked and the tools are known.
    if (pool)
      for (const key of keys)
        yield labelled(
          () => `the schema checks of ${key}`,
          () => this.cedar.prefetchSchema(key, pool),
          worker,
        );
    const policies = paths.filter((p) => this.files.get(p)?.kind === 'policy');
    policies.sort((a, b) => Number(first(b)) - Number(first(a)));
    for (let i = 0; i < policies.length; i += 20) {
      const chunk = policies.slice(i, i + 20);
      yield labelled(
        () => `parsing ${chunk.length} policy files from ${chunk[0]}`,
        () => this.cedar.parsePolicies(chunk, pool),
        worker,
      );
    }
    for (const p of this.agentIndex.toolFiles())
      yield labelled(
        () => `tool discovery in ${p}`,
        () => void this.agentIndex.toolsIn(p),
      );
    if (pool)
      for (const key of keys)
        yield labelled(
          () => `the merged schema check of ${key}`,
          () => this.cedar.prefetchMergedSchema(key, pool),
          worker,
        );
    yield BARRIER;
    for (const key of keys)
      yield labelled(
        () => `building the schema of ${key}`,
        () => void this.cedar.buildSchema(key),
      );
    // What every file's findings wait for besides its own validation calls.
    const shared: WorkUnit[] = [];
    const share = (unit: WorkUnit): WorkUnit => {
      shared.push(unit);
      return unit;
    };
    if (pool)
      for (const p of paths)
        if (this.files.get(p)?.kind === 'entities')
          yield share(
            labelled(
              () => `the entities check of ${p}`,
              () => this.cedar.prefetchEntities(p, pool),
              worker,
            ),
          );
    let batches: ValidationBatch[] = [];
    yield labelled(
      () => 'planning validation',
      () => void (batches = this.cedar.validationBatches(policies)),
    );
    // Read after the unit above ran: the generator resumes only then.
    const unitOf = new Map<ValidationBatch, WorkUnit>();
    const run = (b: ValidationBatch): WorkUnit => {
      const unit = labelled(
        () => `validating ${[...b.files].slice(0, 2).join(', ')}${b.whole ? ' against the whole schema' : ''}`,
        pool ? () => b.runIn(pool) : () => b.run(),
        worker,
      );
      unitOf.set(b, unit);
      return unit;
    };
    // The open files' calls first. The governance rules' partial evaluations next, in the
    // workers, before any file's findings are read (each file's findings read the rules' pass,
    // which then finds every decision made): every file waits for them. Then the long
    // whole-schema calls, so that one worker runs them while the other takes the short ones
    // (queued last, they ran alone at the end of a first check).
    const firstOf = (b: ValidationBatch) => [...b.files].some(first);
    const forOpenFiles = [...batches.filter((b) => !b.whole && firstOf(b)), ...batches.filter((b) => b.whole && firstOf(b))];
    for (const b of forOpenFiles) yield run(b);
    if (pool) {
      let governance: (() => Promise<void>)[] = [];
      yield labelled(
        () => 'planning the governance decisions',
        () => void (governance = this.checks.governancePrefetch(pool)),
      );
      for (const unit of governance) yield share(labelled(() => 'governance decisions', unit, worker));
    }
    const wholeOthers = batches.filter((b) => b.whole && !firstOf(b));
    for (const b of wholeOthers) yield run(b);
    const early = [...forOpenFiles, ...wholeOthers];
    const late = batches.filter((b) => !b.whole && !firstOf(b));
    // Each file is handed out once its own calls and the shared work are done: files are grouped
    // by the last of their calls in the order queued (none: -1), each group named after that call.
    const queuedOrder = [...early, ...late];
    const lastCall = new Map<string, number>();
    queuedOrder.forEach((b, i) => b.files.forEach((f) => lastCall.set(f, i)));
    const callsOf = new Map<string, ValidationBatch[]>();
    const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const b of batches) for (const f of b.files) push(callsOf, f, b);
    const groups = new Map<number, string[]>();
    for (const f of [...paths].sort((a, b) => Number(first(b)) - Number(first(a)))) {
      const i = lastCall.get(f) ?? -1;
      push(groups, i, f);
    }
    const readyAfter = (i: number): ReadyStep[] => {
      const files = groups.get(i);
      if (!files) return [];
      const own = new Set(files.flatMap((f) => (callsOf.get(f) ?? []).map((b) => unitOf.get(b)!)));
      return [{ ready: files, after: [...shared, ...own] }];
    };
    for (let i = -1; i < early.length; i++) yield* readyAfter(i);
    for (let i = early.length; i < queuedOrder.length; i++) {
      yield run(queuedOrder[i]);
      yield* readyAfter(i);
    }
    yield BARRIER;
  }

  // ---- simulation (SPEC §7): the governance rules' own inputs and decisions ----

  /** One request decided by the workspace's policies; an unknown name is an input error naming the closest. */
  simulate(request: SimulationRequest): SimulationResult {
    return simulate(request, simulationWorkspace(this.checks.passContext));
  }

  /** The context an editor pre-fills for a call of a tool (`tool` or `server/tool`); undefined for no such tool. */
  defaultContext(tool: string): string | undefined {
    return defaultContextFor(tool, simulationWorkspace(this.checks.passContext));
  }

  /** Every bound agent × tool (`all`: every agent × every tool), without and with an approval; in the Cedar workers when there are some. */
  accessMatrix(options: MatrixOptions = {}): Promise<AccessMatrix> {
    const pool = this.pool;
    const workers = pool ? { batch: pool.partialBatch.bind(pool), concurrency: pool.workers } : undefined;
    return accessMatrix(simulationWorkspace(this.checks.passContext), options, workers);
  }

  /**
   * Decides, in the Cedar workers, what the access matrix asks and the check did not (the calls
   * with an approval granted: no built-in rule reads them), so that opening the matrix answers
   * from memory. The server runs it once a check has settled and the editor is quiet; a unit
   * starts only while `stillIdle()` (an edit meanwhile leaves the rest for the next time).
   */
  async warmAccessMatrix(stillIdle: () => boolean, batchSize = 8): Promise<void> {
    const pool = this.pool;
    if (!stillIdle()) return;
    const { pairs } = accessInputs(this.checks.passContext);
    // Without workers (tests on the sources), in this thread.
    if (!pool) return void decidePairs(pairs);
    const units = prefetchPairs(pairs, (calls) => pool.partialBatch(pairs.entities, calls), batchSize);
    await runWork(
      units.map((unit) => () => (stillIdle() ? unit() : undefined)),
      { concurrency: 1, onError: () => undefined },
    );
  }

  // ---- request tests (`*.cedartests.json`, SPEC §7) ----

  /** The request test files of the workspace. */
  requestTestFiles(): string[] {
    return this.requestTestsOf.files();
  }

  /** A test file's requests with their ranges (one test item each), read without calling Cedar. */
  requestTests(path: string): { file?: RequestTestFile; problems: TestProblem[] } {
    return this.requestTestsOf.items(path);
  }

  /** Runs a test file (`options.only`: some requests), with each result's expected, actual and range. */
  runRequestTests(path: string, options?: RunOptions): TestFileRun {
    return this.requestTestsOf.run(path, options);
  }

  /** Runs test files (default: all) and answers which policies their requests make determining or satisfy. */
  requestTestCoverage(paths?: string[], withSatisfied = true): { runs: TestFileRun[]; coverage: FileCoverage[] } {
    return this.requestTestsOf.coverage(paths, withSatisfied);
  }

  /** Coverage by test runs (`requestTestCoverage`) completed with every other policy file of the workspace, all uncovered. */
  workspaceTestCoverage(coverage: FileCoverage[], withSatisfied = true): FileCoverage[] {
    return workspaceCoverage(coverage, this.policySet().policies, withSatisfied);
  }

  /** The workspace's policies that no request of any test file makes determining or satisfies. */
  untestedPolicies(): UntestedPolicy[] {
    return untestedPolicies(this.requestTestsOf.coverage(undefined, true).coverage, this.policySet().policies);
  }

  /**
   * Request tests of today's decisions for a policy (file), or every bound pair of the workspace:
   * the files to write, not written (SPEC §7, issue 10). With workers, the access matrix's
   * partial evaluations run there first.
   */
  async generateRequestTests(target: GenerateTarget = {}): Promise<Generation> {
    if (this.pool) await this.accessMatrix();
    const ws = simulationWorkspace(this.checks.passContext);
    return generateRequestTests(
      {
        ws,
        decided: decidePairs(ws.pairs),
        roots: this.folders,
        text: (p) => {
          const e = this.files.get(p);
          return e && !e.readProblem ? e.text : undefined;
        },
        entitiesFiles: () => this.inputs.paths('entities'),
        schemaFilesFor: (p) => this.cedar.schemaFilesFor(p),
        run: (p, text) => this.requestTestsOf.runText(p, text),
        display: (p) => this.displayPath(p),
      },
      target,
    );
  }

  // ---- editor answers (read-only views) ----

  /** A file as the core sees it: the editor's text while open, else the disk's. */
  file(path: string): Readonly<FileEntry> | undefined {
    return this.files.get(path);
  }

  /** Paths of the files of one kind. */
  filesOf(kind: FileKind): string[] {
    return this.inputs.paths(kind);
  }

  /** The kind of a path, or undefined for files the core ignores (one classifier for the product). */
  kindOf(path: string): FileKind | undefined {
    return fileKindOf(path);
  }

  /** A `.cedar` file under its folder's rules path (`agentgov.rulesPath`): a governance rule, not a policy. */
  isRuleFile(path: string): boolean {
    return this.config.isRuleFile(path);
  }

  /** The governance rules of the folder holding `path`: the built-in ones and its rule files. */
  rulesFor(path: string): RuleInfo[] {
    return this.rules.packOf(path).rules();
  }

  policyModel(path: string): PolicyFileModel | undefined {
    return this.cedar.policyModel(path);
  }

  schemaFileModel(path: string): SchemaFileModel | undefined {
    return this.cedar.schemaFileModel(path);
  }

  schemaFilesFor(path: string): string[] {
    return this.cedar.schemaFilesFor(path);
  }

  /** The schema of a file for editor features (the last one built while a changed one is being checked in a worker). */
  schemaFor(path: string): SchemaModel | undefined {
    return this.cedar.schemaForEditor(path);
  }

  /** Every policy of the workspace with its real id, file and range. */
  policySet(): WorkspacePolicySet {
    return this.checks.policySet();
  }

  tools(): WorkspaceTool[] {
    return this.agentIndex.tools();
  }

  bindings(): AgentBinding[] {
    return this.agentIndex.bindings();
  }

  mcpConfigs(): McpConfig[] {
    return this.agentIndex.mcpConfigs();
  }

  resolveTool(ref: Pick<ToolRef, 'tool' | 'server'>): WorkspaceTool[] {
    return this.agentIndex.resolve(ref);
  }

  fileProblems(path: string): DiscoveryProblem[] {
    return this.agentIndex.fileProblems(path);
  }

  /** Every tool and agent, with paths as `path` makes them (absolute by default). */
  inventory(path: (p: string) => string = (p) => p): Inventory {
    return buildInventory(this.agentIndex.editorView(), path);
  }

  /** Edits formatting a document, chosen by its kind (Cedar policies today); undefined when nothing changes. */
  format(path: string, text: string, options: FormatOptions): string | undefined {
    return formatDocument(this.kindOf(path), text, options);
  }

  /** A path relative to its workspace folder, with `/`. */
  displayPath(path: string): string {
    return displayPath(this.folders as string[], path);
  }

  /** Time spent in Cedar and the size of each query's memory (for the bench and the log). */
  stats(): {
    cedar: Record<string, CallStats>;
    queries: Record<string, number>;
    cedarMemory: { mainMB: number; workersMB: number[]; recycled: number };
  } {
    return {
      cedar: cedarGateway.callStats(),
      queries: this.engine.sizes(),
      cedarMemory: {
        mainMB: Math.round(cedarMemoryBytes() / 2 ** 20),
        ...(this.pool?.memory() ?? { workersMB: [], recycled: 0 }),
      },
    };
  }
}
