import { sep } from 'node:path';
import {
  type CompletionItem,
  type Connection,
  DidChangeConfigurationNotification,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildInventory } from '../core/agents/inventory';
import { completion } from '../core/language/completion';
import { declaration, definition } from '../core/language/definition';
import { foldingRanges } from '../core/language/folding';
import { formatPolicyText } from '../core/language/format';
import { hover } from '../core/language/hover';
import { documentSymbols } from '../core/language/symbols';
import { GovernanceService } from '../core/service';
import { nodeFileSystem, type FileSystemHost } from '../core/workspace/fileSystem';
import { INVENTORY_CHANGED, INVENTORY_REQUEST, type InventoryResult } from '../protocol';
import { toCompletionItem, toDiagnostic, toDocumentSymbol } from './convert';
import { DiagnosticsScheduler } from './scheduler';
import { type ServerSettings, SettingsCache } from './settings';
import { pathOfUri, uriOfPath } from './uris';

/** The language server: protocol glue around one `GovernanceService`. */
export class AgentGovServer {
  private readonly documents = new TextDocuments(TextDocument);
  private service: GovernanceService;
  private readonly settings: SettingsCache;
  private readonly scheduler: DiagnosticsScheduler;
  private configurationSupported = false;
  private current: ServerSettings | undefined;
  /** Paths we published diagnostics for, to clear them when a file goes away. */
  private readonly published = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly fs: FileSystemHost = nodeFileSystem,
  ) {
    this.service = new GovernanceService({ fs, roots: [] });
    this.settings = new SettingsCache(connection, () => this.configurationSupported);
    this.scheduler = new DiagnosticsScheduler(
      (paths) => this.publish(paths),
      () => this.current?.diagnosticsDelay ?? 200,
      (p) => !!this.documents.get(uriOfPath(p)),
      (e) => this.logError('diagnostics', e),
    );
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration(() => void this.reloadSettings());
    c.onDidChangeWatchedFiles((p) => {
      this.guard('watched files', () => this.watchedFilesChanged(p.changes));
    });
    c.onHover((p) => this.guard('hover', () => this.withPath(p.textDocument.uri, (path) => this.hover(path, p.position))));
    c.onCompletion((p) => this.guard('completion', () => this.withPath(p.textDocument.uri, (path) => completion(this.service, path, p.position).map(toCompletionItem)) ?? ([] as CompletionItem[])));
    c.onDefinition((p) => this.guard('definition', () => this.withPath(p.textDocument.uri, (path) => definition(this.service, path, p.position).map((l) => ({ uri: uriOfPath(l.file), range: l.range })))));
    c.onDeclaration((p) => this.guard('declaration', () => this.withPath(p.textDocument.uri, (path) => declaration(this.service, path, p.position).map((l) => ({ uri: uriOfPath(l.file), range: l.range })))));
    c.onDocumentSymbol((p) => this.guard('symbols', () => this.withPath(p.textDocument.uri, (path) => documentSymbols(this.service, path).map(toDocumentSymbol))));
    c.onFoldingRanges((p) => this.guard('folding', () => this.withPath(p.textDocument.uri, (path) => foldingRanges(this.service, path))));
    c.onDocumentFormatting((p) => this.guard('formatting', () => this.format(p.textDocument.uri, p.options.tabSize)));
    c.onRequest(INVENTORY_REQUEST, () => this.guard('inventory', () => this.inventory()) ?? { tools: [], agents: [] });
    this.documents.onDidOpen((e) => this.guard('open', () => this.documentChanged(e.document, true)));
    this.documents.onDidChangeContent((e) => this.guard('change', () => this.documentChanged(e.document, false)));
    this.documents.onDidClose((e) => this.guard('close', () => this.documentClosed(e.document)));
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
    this.service = new GovernanceService({ fs: this.fs, roots });
    this.configurationSupported = !!params.capabilities.workspace?.configuration;
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
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'agentgov', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.configurationSupported) void this.connection.client.register(DidChangeConfigurationNotification.type, undefined);
    await this.applySettings();
    const started = Date.now();
    this.service.scan();
    this.connection.console.info(`agentgov: ${this.service.roots.join(', ') || '(no folder)'} scanned in ${Date.now() - started} ms`);
    this.scheduler.schedule(this.service.checkedFiles(), true);
  }

  private async applySettings(): Promise<void> {
    const root = this.service.roots[0];
    this.current = await this.settings.get(root ? uriOfPath(root) : undefined);
    this.service.configure(this.current);
  }

  private async reloadSettings(): Promise<void> {
    this.settings.clear();
    await this.applySettings();
    this.scheduler.schedule(this.service.checkedFiles(), true);
  }

  private documentChanged(doc: TextDocument, opened: boolean): void {
    const path = pathOfUri(doc.uri, doc.languageId);
    if (!path) return;
    const affected = this.service.openDocument(path, doc.getText());
    this.scheduler.schedule(affected, opened);
  }

  private documentClosed(doc: TextDocument): void {
    const path = pathOfUri(doc.uri, doc.languageId);
    if (!path) return;
    const affected = this.service.closeDocument(path);
    this.scheduler.schedule(affected, true);
  }

  private watchedFilesChanged(changes: { uri: string; type: FileChangeType }[]): void {
    const affected = new Set<string>();
    for (const ch of changes) {
      const path = pathOfUri(ch.uri);
      if (!path) continue;
      const deleted = ch.type === FileChangeType.Deleted;
      for (const file of this.filesOfEvent(path, ch.type)) {
        for (const p of deleted ? this.service.diskDeleted(file) : this.service.diskChanged(file)) affected.add(p);
      }
    }
    this.scheduler.schedule(affected);
  }

  /** A folder created or deleted in one go (a move, a checkout) is reported as the folder alone. */
  private filesOfEvent(path: string, type: FileChangeType): string[] {
    if (type === FileChangeType.Deleted) {
      if (this.service.files.get(path)) return [path];
      const inside = this.service.files.all().filter((e) => e.path.startsWith(path + sep)).map((e) => e.path);
      return inside.length ? inside : [path];
    }
    if (type === FileChangeType.Created && !this.service.files.get(path)) {
      const inside = this.fs.listFiles(path);
      if (inside.length) return inside;
    }
    return [path];
  }

  private publish(paths: string[]): void {
    const results = this.service.findingsOf(paths);
    if (paths.some((p) => !/\.(cedar|cedarschema)$/.test(p))) void this.connection.sendNotification(INVENTORY_CHANGED);
    for (const path of paths) {
      const uri = uriOfPath(path);
      const findings = results.get(path);
      if (!findings) {
        if (this.published.delete(path)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
        continue;
      }
      this.published.add(path);
      const version = this.documents.get(uri)?.version;
      void this.connection.sendDiagnostics({ uri, version, diagnostics: findings.map(toDiagnostic) });
    }
  }

  private inventory(): InventoryResult {
    const inv = buildInventory(this.service.agents);
    return {
      tools: inv.tools.map((t) => ({ name: t.name, server: t.server, source: t.source, uri: uriOfPath(t.file), range: t.range, risk: t.risk, riskReason: t.riskReason, description: t.description, inputFields: t.inputFields, agents: t.agents })),
      agents: inv.agents.map((a) => ({ name: a.name, principal: a.principal, uri: uriOfPath(a.file), range: a.range, identityType: a.identity?.type, audit: a.audit, tools: a.tools, unknownTools: a.unknownTools })),
    };
  }

  private hover(path: string, position: { line: number; character: number }) {
    const h = hover(this.service, path, position);
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: h.range } : null;
  }

  private format(uri: string, tabSize: number): TextEdit[] {
    const doc = this.documents.get(uri);
    if (!doc || doc.languageId === 'cedarschema' || uri.endsWith('.cedarschema')) return [];
    const text = doc.getText();
    const formatted = formatPolicyText(text, { tabSize });
    if (formatted === undefined || formatted === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
  }

  private withPath<T>(uri: string, f: (path: string) => T): T | null {
    const doc = this.documents.get(uri);
    const path = pathOfUri(uri, doc?.languageId);
    return path ? f(path) : null;
  }

  /** A failing request answers "nothing" and is logged; it never takes the server down. */
  private guard<T>(what: string, f: () => T): T | null {
    try {
      return f();
    } catch (e) {
      this.logError(what, e);
      return null;
    }
  }

  private logError(what: string, e: unknown): void {
    this.connection.console.error(`agentgov: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
