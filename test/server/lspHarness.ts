import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import {
  type ClientCapabilities,
  ConfigurationRequest,
  createProtocolConnection,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  type FileEvent,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  LogMessageNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { AgentGovServer } from '../../server/src/lsp/server';
import type { FileSystemHost } from '../../server/src/core/workspace/fileSystem';

// The V8 flag the server's entry sets (server/src/lsp/main.ts): without it Node 20 may abort
// the whole process while checking thousands of policies with cedar-wasm.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export const EXAMPLES = resolve(__dirname, '../../examples');

/** Settings the fake editor answers for the `agentgov` section. */
export interface ClientSettings {
  schemaFile?: string;
  diagnosticsDelay?: number;
  maxFileSize?: number;
}

export interface HarnessOptions {
  /** Files to write into the temp workspace (relative path → text or bytes), after `examples/` is copied. */
  files?: Record<string, string | Uint8Array>;
  /** Copy `examples/` into the workspace (default true). */
  examples?: boolean;
  settings?: ClientSettings;
  /** A file system for the server instead of the real disk (its root is then `root`). */
  fs?: FileSystemHost;
  root?: string;
  /**
   * Record diagnostics without the governance findings (AG001…): for tests about Cedar's and
   * the readers' diagnostics of the examples, whose governance findings other tests assert.
   */
  withoutGovernance?: boolean;
  /** Workspace capabilities added to the fake editor's own (e.g. `workspaceEdit`). */
  capabilities?: Pick<ClientCapabilities, 'workspace'>;
}

/**
 * A fake editor joined to a real `AgentGovServer` by in-memory streams: every message goes
 * through JSON-RPC framing exactly as over stdio.
 */
export class LspHarness {
  readonly client: ProtocolConnection;
  /** The in-process server; undefined when the server is a child process. */
  readonly server: AgentGovServer | undefined;
  /** Set from `HarnessOptions.withoutGovernance`. */
  hideGovernance = false;

  /** Every publishDiagnostics per URI, oldest first. */
  readonly publishes = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  initializeResult!: InitializeResult;
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private child: ChildProcess | undefined;

  private constructor(
    readonly root: string,
    readonly settings: ClientSettings,
    private readonly ownsRoot: boolean,
    transport: { fs?: FileSystemHost } | { command: string[] },
  ) {
    let fromServer: Readable;
    let toServer: Writable;
    if ('command' in transport) {
      const [cmd, ...args] = transport.command;
      this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
      fromServer = this.child.stdout!;
      toServer = this.child.stdin!;
    } else {
      const a = new PassThrough();
      const b = new PassThrough();
      this.server = new AgentGovServer(createConnection(new StreamMessageReader(a), new StreamMessageWriter(b)), transport.fs);
      this.server.listen();
      toServer = a;
      fromServer = b;
    }
    this.client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    this.client.onNotification(PublishDiagnosticsNotification.type, (published) => {
      const p = this.hideGovernance ? { ...published, diagnostics: withoutGovernance(published.diagnostics) } : published;
      const list = this.publishes.get(p.uri) ?? [];
      list.push(p);
      this.publishes.set(p.uri, list);
      for (const l of this.listeners) l();
    });
    this.client.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    this.client.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((i) => (i.section === 'agentgov' ? this.settings : null)),
    );
    this.client.onRequest(RegistrationRequest.type, () => undefined);
    this.client.listen();
  }

  /**
   * Starts a server on a fresh temp workspace (a copy of `examples/` plus `files`) and initializes
   * it: in this process, or as a child process when `command` is given (e.g. the built bundle with `--stdio`).
   */
  static async start(options: HarnessOptions = {}, command?: string[]): Promise<LspHarness> {
    let root = options.root;
    const ownsRoot = !root;
    if (!root) {
      root = mkdtempSync(join(tmpdir(), 'agentgov-lsp-'));
      if (options.examples !== false) cpSync(EXAMPLES, root, { recursive: true });
      for (const [rel, content] of Object.entries(options.files ?? {})) writeFile(join(root, rel), content);
    }
    const h = new LspHarness(
      root,
      { diagnosticsDelay: 0, ...options.settings },
      ownsRoot,
      command ? { command } : { fs: options.fs },
    );
    h.hideGovernance = options.withoutGovernance ?? false;
    await h.initialize(options.capabilities);
    return h;
  }

  /** Whether the server process is still running (always true in process). */
  get alive(): boolean {
    return !this.child || (this.child.exitCode === null && this.child.signalCode === null);
  }

  private async initialize(extra: Pick<ClientCapabilities, 'workspace'> = {}): Promise<void> {
    this.initializeResult = await this.client.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: this.uri(''),
      workspaceFolders: [{ uri: this.uri(''), name: 'ws' }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          ...extra.workspace,
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
        general: { positionEncodings: ['utf-16'] },
      },
    });
    await this.client.sendNotification(InitializedNotification.type, {});
    // The scan runs once the settings are in; its log line is the only outside sign of it.
    // Generous: on a loaded CI machine the first scan of a large workspace can take seconds.
    await until(() => this.logs.some((l) => l.includes('scanned in')), 20_000, 'the workspace scan');
    await this.server?.idle();
  }

  /** The file URI of a path relative to the workspace root. */
  uri(rel: string): string {
    return pathToFileURL(rel ? join(this.root, rel) : this.root).toString();
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  /** Writes a file into the workspace on disk (the server only learns of it by a watched-file event). */
  write(rel: string, content: string | Uint8Array): string {
    writeFile(this.path(rel), content);
    return this.uri(rel);
  }

  async open(rel: string, text: string, languageId = languageOf(rel)): Promise<string> {
    const uri = this.uri(rel);
    this.versions.set(uri, 1);
    await this.client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Sends one didChange with the next version; returns that version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /** didSave, as an editor sends it after writing the file (the text is not included). */
  async save(uri: string): Promise<void> {
    await this.client.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** A workspace folder added or removed in the editor. */
  async folders(added: string[], removed: string[]): Promise<void> {
    const folder = (root: string) => ({ uri: pathToFileURL(root).toString(), name: root });
    await this.client.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: added.map(folder), removed: removed.map(folder) },
    });
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async watched(changes: FileEvent[]): Promise<void> {
    await this.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** The latest diagnostics published for a URI, or undefined when none were. */
  latest(uri: string): PublishDiagnosticsParams | undefined {
    return this.publishes.get(uri)?.at(-1);
  }

  /**
   * Resolves with the first diagnostics for `uri` (the latest publish, then every later one)
   * that satisfy `predicate`; rejects after `timeoutMs` with what was last published.
   */
  waitForDiagnostics(
    uri: string,
    predicate: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean,
    timeoutMs = 5000,
  ): Promise<Diagnostic[]> {
    return new Promise((resolvePromise, reject) => {
      const check = (): boolean => {
        const last = this.latest(uri);
        if (last && predicate(last.diagnostics, last)) {
          done();
          resolvePromise(last.diagnostics);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        const last = this.latest(uri);
        reject(
          new Error(
            `No matching diagnostics for ${uri} within ${timeoutMs} ms; last published: ${last ? JSON.stringify(last, null, 1) : 'nothing'}`,
          ),
        );
      }, timeoutMs);
      const listener = () => void check();
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      check();
    });
  }

  /** Waits for the next publish for `uri` after now that satisfies `predicate`. */
  waitForNextDiagnostics(
    uri: string,
    predicate: (d: Diagnostic[]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Diagnostic[]> {
    const seen = this.publishes.get(uri)?.length ?? 0;
    return this.waitForDiagnostics(uri, (d) => (this.publishes.get(uri)?.length ?? 0) > seen && predicate(d), timeoutMs);
  }

  async dispose(): Promise<void> {
    // A profiled server (AGENTGOV_FUZZ_CPU_PROF) writes its profile only when it exits by itself.
    if (process.env.AGENTGOV_FUZZ_CPU_PROF && this.child) {
      const exited = new Promise((r) => this.child!.once('exit', r));
      await this.client.sendRequest('shutdown').catch(() => undefined);
      void this.client.sendNotification('exit');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    this.client.dispose();
    this.child?.kill();
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function writeFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export function languageOf(rel: string): string {
  return rel.endsWith('.cedarschema') ? 'cedarschema' : rel.endsWith('.cedar') ? 'cedar' : 'json';
}

/** Position (UTF-16, as LSP counts) of an offset in a text. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line, character: offset - lineStart };
}

/**
 * Strips `|` markers from a fixture text and returns the text with the offsets and positions
 * of the markers in order (`a|bc|d` → text `abcd`, marks at 1 and 3).
 */
export function marked(
  withMarkers: string,
  marker = '|',
): { text: string; offsets: number[]; positions: { line: number; character: number }[] } {
  const [first, ...rest] = withMarkers.split(marker);
  let text = first;
  const offsets: number[] = [];
  for (const part of rest) {
    offsets.push(text.length);
    text += part;
  }
  return { text, offsets, positions: offsets.map((o) => positionAt(text, o)) };
}

/** The range between the first two markers. */
export function markedRange(
  withMarkers: string,
  marker = '|',
): { text: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } {
  const m = marked(withMarkers, marker);
  if (m.positions.length !== 2) throw new Error(`expected two markers, got ${m.positions.length}`);
  return { text: m.text, range: { start: m.positions[0], end: m.positions[1] } };
}

/** Range of the `n`-th (0-based) occurrence of `needle` in `text`. */
export function rangeOf(
  text: string,
  needle: string,
  n = 0,
): { start: { line: number; character: number }; end: { line: number; character: number } } {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (#${n}) not in text`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/**
 * Diagnostics without the governance findings (AG001…): the server tests are about Cedar's
 * and the readers' diagnostics of the examples; the examples' governance findings are asserted
 * by test/core/governance and test/cli.
 */
export function withoutGovernance<T extends { code?: unknown }>(d: readonly T[]): T[] {
  return d.filter((x) => !/^AG\d/.test(String(x.code ?? '')));
}
