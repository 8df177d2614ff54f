// The context of a simulation is typed in a real JSON editor: an in-memory document
// (`agentgov-simulation:` scheme) whose `$schema` names a JSON Schema served from the same
// memory, so VS Code's own JSON language features give completion, hover and validation from the
// tool's input types. Saving writes to memory only: closing the editor never asks where to save.
import * as vscode from 'vscode';
import { applyEdits, modify } from 'jsonc-parser';
import type { SimulationRequestParams } from '../../../server/src/protocol';

export const SCHEME = 'agentgov-simulation';
export const RUN_COMMAND = 'agentgov.simulation.run';

/** Who calls what on which resource: everything of a request but its context. */
export type PendingRequest = Omit<SimulationRequestParams, 'context'>;

/** A name safe as one path segment. */
const segment = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_') || '_';

class MemoryFiles implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.byteLength };
    if ([...this.files.keys()].some((k) => k.startsWith(uri.path.endsWith('/') ? uri.path : `${uri.path}/`)))
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const out = new Map<string, vscode.FileType>();
    for (const k of this.files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const [name, ...rest] = k.slice(prefix.length).split('/');
      out.set(name, rest.length ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...out];
  }

  createDirectory(): void {
    // Folders exist as the paths of their files.
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const existed = this.files.has(uri.path);
    this.files.set(uri.path, { data: content, mtime: Date.now() });
    this.changed.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Simulation contexts cannot be renamed.');
  }

  has(uri: vscode.Uri): boolean {
    return this.files.has(uri.path);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The context documents of simulations and the requests they belong to. */
export class ContextDocuments implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly files = new MemoryFiles();
  private readonly requests = new Map<string, PendingRequest>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly registrations: vscode.Disposable[];
  /** Where the last context editor was: the next one opens there rather than in yet another column. */
  private column: vscode.ViewColumn | undefined;

  constructor() {
    this.registrations = [
      vscode.workspace.registerFileSystemProvider(SCHEME, this.files, { isCaseSensitive: true }),
      vscode.languages.registerCodeLensProvider({ scheme: SCHEME, language: 'json' }, this),
    ];
  }

  /**
   * Opens the context editor of a request: the context text the server pre-filled (kept from last
   * time while the same agent × tool editor is still open), naming its JSON Schema.
   */
  async open(request: PendingRequest, context: string, schema: object): Promise<vscode.TextEditor> {
    const schemaUri = vscode.Uri.from({ scheme: SCHEME, path: `/.schemas/${segment(request.action)}.schema.json` });
    this.files.writeFile(schemaUri, Buffer.from(JSON.stringify(schema, null, 2)));
    const uri = vscode.Uri.from({
      scheme: SCHEME,
      path: `/${segment(request.principal)}/${segment(request.action)}.context.json`,
    });
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    this.requests.set(uri.toString(), request);
    if (!open) this.files.writeFile(uri, Buffer.from(withSchema(context, schemaUri.toString())));
    this.lensesChanged.fire();
    const doc = open ?? (await vscode.workspace.openTextDocument(uri));
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    const shown = vscode.window.tabGroups.all.some((g) => g.viewColumn === this.column);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: shown ? this.column : vscode.ViewColumn.Beside,
      preview: false,
    });
    this.column = editor.viewColumn;
    return editor;
  }

  /** Shows an open context document where its tab is (not in the result view's column). */
  async show(doc: vscode.TextDocument): Promise<void> {
    const group = vscode.window.tabGroups.all.find((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString()),
    );
    await vscode.window.showTextDocument(doc, { viewColumn: group?.viewColumn ?? this.column, preview: false });
  }

  /** The request of a context document, with the context as the editor holds it (`$schema` left out). */
  requestOf(doc: vscode.TextDocument): SimulationRequestParams | undefined {
    const pending = this.requests.get(doc.uri.toString());
    return pending && { ...pending, context: withoutSchema(doc.getText()) };
  }

  /** The open context document of a request, if any. */
  documentOf(request: PendingRequest): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => {
      const p = this.requests.get(d.uri.toString());
      return p?.principal === request.principal && p.action === request.action && p.resource === request.resource;
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const request = this.requests.get(doc.uri.toString());
    if (!request) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const on = request.resource ? ` on ${request.resource}` : '';
    return [
      new vscode.CodeLens(top, { title: '▶ Run simulation', command: RUN_COMMAND, arguments: [doc.uri] }),
      new vscode.CodeLens(top, {
        title: `${request.principal} → ${request.action}${on}`,
        command: 'agentgov.simulateRequest',
        tooltip: 'Pick another agent, tool or resource',
        arguments: [{}],
      }),
    ];
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.files.dispose();
    this.lensesChanged.dispose();
  }
}

/** The context text with `$schema` first, so the JSON language features know its schema. */
function withSchema(context: string, schemaUri: string): string {
  try {
    return applyEdits(
      context,
      modify(context, ['$schema'], schemaUri, {
        formattingOptions: { insertSpaces: true, tabSize: 2 },
        getInsertionIndex: () => 0,
      }),
    );
  } catch {
    return context;
  }
}

/** The context as Cedar gets it: `$schema` is the editor's, not the request's. */
export function withoutSchema(text: string): string {
  try {
    return applyEdits(text, modify(text, ['$schema'], undefined, {}));
  } catch {
    return text;
  }
}
