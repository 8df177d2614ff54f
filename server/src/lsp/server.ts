import {
  type ClientCapabilities,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  type InitializeParams,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CedarPool } from '../core/cedar/gateway';
import { collectIfGrown } from '../core/memory/collect';
import { GovernanceService } from '../core/service';
import { CheckedNotification } from '../protocol';
import { nodeFileSystem, type FileSystemHost } from '../core/workspace/fileSystem';
import type { ServerContext } from './context';
import { registerCodeActionHandlers } from './handlers/codeActions';
import { registerCustomHandlers } from './handlers/custom';
import { GENERATE_TESTS_KIND, registerRequestTestHandlers } from './handlers/requestTests';
import { registerDocumentHandlers } from './handlers/documents';
import { registerLanguageHandlers } from './handlers/language';
import { registerSimulationHandlers } from './handlers/simulation';
import { registerMatrixHandlers } from './handlers/matrix';
import { LongTasks } from './longTasks';
import { DiagnosticsPublisher } from './publisher';
import { DiagnosticsScheduler } from './scheduler';
import { SettingsCache } from './settings';
import { pathOfUri, uriOfPath } from './uris';

/** The language server: lifecycle and settings here, one handler file per protocol area. */
export class AgentGovServer {
  private readonly documents = new TextDocuments(TextDocument);
  private service: GovernanceService;
  private readonly settings: SettingsCache;
  private readonly scheduler: DiagnosticsScheduler;
  private readonly publisher: DiagnosticsPublisher;
  private configurationSupported = false;
  private foldersChangeSupported = false;
  private clientCapabilities: ClientCapabilities = {};
  private diagnosticsDelay = 200;
  /** Cedar workers beside the bundle (none when the server runs from sources, in tests). */
  private readonly pool = CedarPool.create();
  private readonly longTasks: LongTasks;
  private collectTimer: NodeJS.Timeout | undefined;
  private warmTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly fs: FileSystemHost = nodeFileSystem,
  ) {
    this.service = new GovernanceService({ fs, roots: [] });
    this.longTasks = new LongTasks((m) => this.connection.console.info(m));
    this.settings = new SettingsCache(connection, () => this.configurationSupported);
    this.publisher = new DiagnosticsPublisher(connection, this.documents, () => this.service);
    this.scheduler = new DiagnosticsScheduler(
      (paths, first) => this.service.plan(paths, true, first),
      (paths) => this.publisher.publish(paths),
      () => this.diagnosticsDelay,
      (p) => !!this.documents.get(uriOfPath(p)),
      (e) => this.logError('diagnostics', e),
      () => this.pool?.workers ?? 1,
      (files, ms) => {
        void this.connection.sendNotification(CheckedNotification, { files, ms: Math.round(ms) });
        this.collectWhenIdle();
        this.warmMatrixWhenQuiet();
      },
      (what, ms) => this.longTasks.note(what, ms),
    );
  }

  listen(): void {
    const c = this.connection;
    const ctx: ServerContext = {
      connection: c,
      documents: this.documents,
      service: () => this.service,
      scheduler: this.scheduler,
      pathOf: (uri) => pathOfUri(uri, this.documents.get(uri)?.languageId),
      guard: (what, f) => this.guard(what, f),
      longTasks: this.longTasks,
      published: (path) => this.publisher.published(path),
      logError: (what, e) => this.logError(what, e),
    };
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration(() => void this.reloadSettings());
    c.onShutdown(() => this.pool?.close());
    registerDocumentHandlers(ctx);
    registerLanguageHandlers(ctx);
    registerCodeActionHandlers(ctx, () => this.clientCapabilities);
    registerCustomHandlers(ctx);
    registerRequestTestHandlers(ctx);
    registerSimulationHandlers(ctx);
    registerMatrixHandlers(ctx);
    this.documents.listen(c);
    c.listen();
  }

  /** Resolves once every scheduled check has been published (tests). */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const roots = (params.workspaceFolders ?? []).map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p);
    if (!roots.length && params.rootUri) roots.push(pathOfUri(params.rootUri)!);
    this.service = new GovernanceService({ fs: this.fs, roots, pool: this.pool?.warm() });
    this.publisher.reset();
    this.configurationSupported = !!params.capabilities.workspace?.configuration;
    this.foldersChangeSupported = !!params.capabilities.workspace?.workspaceFolders;
    this.clientCapabilities = params.capabilities;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', ':', '"'] },
        definitionProvider: true,
        declarationProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, GENERATE_TESTS_KIND] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'agentgov', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.configurationSupported) void this.connection.client.register(DidChangeConfigurationNotification.type, undefined);
    if (this.foldersChangeSupported) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        this.guard('workspace folders', () => {
          const affected: string[] = [];
          for (const f of e.removed) affected.push(...this.service.removeFolder(pathOfUri(f.uri) ?? ''));
          for (const f of e.added) {
            const root = pathOfUri(f.uri);
            if (root) affected.push(...this.service.addFolder(root));
          }
          void this.applySettings().then((more) => this.scheduler.schedule([...affected, ...more], true));
        }),
      );
    }
    await this.applySettings();
    const started = Date.now();
    this.service.scan();
    this.service.warmUp();
    this.connection.console.info(
      `agentgov: ${this.service.roots.join(', ') || '(no folder)'} scanned in ${Date.now() - started} ms`,
    );
    // Not `checkedFiles()`: that discovers every tool file first, before any Cedar call is asked for.
    this.scheduler.schedule(this.service.firstCheckFiles(), true);
  }

  /**
   * Half a second after a check settles, if nothing new came, the garbage of the checks is
   * collected (core/memory/collect.ts says why), so an edit seldom waits for it; at once when
   * the heap holds twice as much garbage as live data (edits that never pause, megabyte texts).
   */
  private collectWhenIdle(): void {
    clearTimeout(this.collectTimer);
    if (this.longTasks.time('garbage collection', () => collectIfGrown(undefined, 3))) return;
    this.collectTimer = setTimeout(() => {
      if (this.scheduler.pendingCount() === 0) this.longTasks.time('garbage collection', () => collectIfGrown());
    }, 500);
    this.collectTimer.unref();
  }

  /**
   * Two seconds after a check settles with nothing pending, the access matrix's remaining Cedar
   * calls run in the workers (`warmAccessMatrix`), a few at a time, so that opening the matrix
   * answers from memory; an edit meanwhile stops it between batches. Not sooner: while someone
   * types, its planning on this thread would delay the next edit's diagnostics.
   */
  private warmMatrixWhenQuiet(): void {
    clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => {
      const quiet = () => this.scheduler.pendingCount() === 0;
      if (quiet()) void this.service.warmAccessMatrix(quiet).catch((e) => this.logError('access matrix warm-up', e));
    }, 2_000);
    this.warmTimer.unref();
  }

  /** Reads each folder's settings (they are `resource`-scoped); answers the files they affect. */
  private async applySettings(): Promise<string[]> {
    const roots = this.service.roots.length ? [...this.service.roots] : [undefined];
    const affected: string[] = [];
    for (const root of roots) {
      const s = await this.settings.get(root ? uriOfPath(root) : undefined);
      if (root === roots[0]) this.diagnosticsDelay = s.diagnosticsDelay;
      affected.push(...this.service.configure(s, root));
    }
    return affected;
  }

  private async reloadSettings(): Promise<void> {
    this.settings.clear();
    const affected = await this.applySettings();
    this.scheduler.schedule(affected, true);
  }

  /** A failing request answers "nothing" and is logged; it never takes the server down. */
  private guard<T>(what: string, f: () => T): T | null {
    try {
      return this.longTasks.time(what, f);
    } catch (e) {
      this.logError(what, e);
      return null;
    }
  }

  private logError(what: string, e: unknown): void {
    this.connection.console.error(`agentgov: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
