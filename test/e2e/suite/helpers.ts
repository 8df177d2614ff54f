// Shared helpers of the E2E suite. Runs inside the VS Code extension host (desktop VS Code
// through @vscode/test-electron, or code-server through test/e2e/launch.mjs).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'agentgov.cedar-agent-governance';

/** test-output/e2e/ (the compiled suite lives in test-output/e2e/suite/). */
export const OUT_DIR = process.env.AGENTGOV_E2E_OUT ?? path.resolve(__dirname, '..');
/** The repository root. */
export const REPO_ROOT = process.env.AGENTGOV_E2E_ROOT ?? path.resolve(__dirname, '..', '..', '..');

/** Measurements the tests record; index.ts writes them into results.json. */
export const metrics: Record<string, number | string | boolean> = {};

export function log(line: string): void {
  console.log(`[e2e] ${line}`);
  try {
    fs.appendFileSync(path.join(OUT_DIR, 'suite.log'), `${line}\n`);
  } catch {
    /* output folder missing: console only */
  }
}

/**
 * Polls `predicate` until it returns a truthy value (returned) or `timeoutMs` passes (throws,
 * with `what` and the last value/error in the message). Never a fixed sleep.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what = 'condition',
  intervalMs = 50,
): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let activation: Promise<vscode.Extension<unknown>> | undefined;

/** Activates the extension once (waiting for it to be registered first). */
export function activateExtension(): Promise<vscode.Extension<unknown>> {
  activation ??= (async () => {
    const ext = await waitFor(
      () => vscode.extensions.getExtension(EXTENSION_ID),
      30_000,
      `extension ${EXTENSION_ID} to be registered`,
    );
    const t0 = Date.now();
    const wasActive = ext.isActive;
    await ext.activate();
    metrics.activateCallMs = Date.now() - t0;
    metrics.alreadyActiveAtFirstTest = wasActive;
    metrics.extensionHostUptimeAtActiveMs = Math.round(process.uptime() * 1000);
    return ext;
  })();
  return activation;
}

/** How long to wait for an answer of the language server (diagnostics, hover, ...). */
export const LSP_TIMEOUT_MS = Number(process.env.AGENTGOV_E2E_LSP_TIMEOUT_MS ?? 20_000);

/** The demo workspace: the opened folder if it holds the example schema, else <repo>/examples. */
export function examplesDir(): string {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (fs.existsSync(path.join(f.uri.fsPath, 'agent-platform.cedarschema'))) return f.uri.fsPath;
    if (fs.existsSync(path.join(f.uri.fsPath, 'examples', 'agent-platform.cedarschema')))
      return path.join(f.uri.fsPath, 'examples');
  }
  return path.join(REPO_ROOT, 'examples');
}

export function schemaPath(): string {
  const p = path.join(examplesDir(), 'agent-platform.cedarschema');
  assert.ok(fs.existsSync(p), `example schema missing: ${p}`);
  return p;
}

export function policyPaths(): string[] {
  const dir = path.join(examplesDir(), 'policies');
  assert.ok(fs.existsSync(dir), `example policies folder missing: ${dir}`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort()
    .map((f) => path.join(dir, f));
  assert.ok(files.length > 0, `no .cedar files in ${dir}`);
  return files;
}

export async function openFile(file: string, show = true): Promise<{ doc: vscode.TextDocument; editor?: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = show ? await vscode.window.showTextDocument(doc, { preview: false }) : undefined;
  return { doc, editor };
}

export interface Named {
  name: string;
  /** offset of the name in the text it was found in */
  offset: number;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';

/** `namespace X {` ranges of a schema text: offset → namespace name (innermost, brace-matched). */
function namespaceAt(text: string, offset: number): string {
  const re = new RegExp(`\\bnamespace\\s+(${IDENT}(?:::${IDENT})*)\\s*\\{`, 'g');
  let ns = '';
  for (let m; (m = re.exec(text));) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = text.length;
    for (let i = open; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        close = i;
        break;
      }
    }
    if (offset > open && offset < close) ns = m[1];
  }
  return ns;
}

/** The text with `//` comments and string literals' contents blanked (offsets kept). */
export function blankCommentsAndStrings(text: string, keepStrings = false): string {
  return text.replace(/\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"/g, (m) =>
    m.startsWith('//') ? ' '.repeat(m.length) : keepStrings ? m : `"${' '.repeat(m.length - 2)}"`,
  );
}

/** Entity type declarations of a Cedar schema text (`entity A, B in [C] {...};`). */
export function schemaEntityTypes(schemaText: string): (Named & { namespace: string })[] {
  const text = blankCommentsAndStrings(schemaText);
  const out: (Named & { namespace: string })[] = [];
  const re = new RegExp(`\\bentity\\s+(${IDENT}(?:\\s*,\\s*${IDENT})*)`, 'g');
  for (let m; (m = re.exec(text));) {
    const listStart = m.index + m[0].length - m[1].length;
    const nameRe = new RegExp(IDENT, 'g');
    for (let n; (n = nameRe.exec(m[1]));) {
      out.push({ name: n[0], offset: listStart + n.index, namespace: namespaceAt(text, m.index) });
    }
  }
  return out;
}

/** Action declarations of a Cedar schema text (`action "a", b appliesTo ...`); `tool` when it has appliesTo. */
export function schemaActions(schemaText: string): (Named & { namespace: string; tool: boolean })[] {
  const text = blankCommentsAndStrings(schemaText, true);
  const out: (Named & { namespace: string; tool: boolean })[] = [];
  const item = `(?:"(?:[^"\\\\]|\\\\.)*"|${IDENT})`;
  const re = new RegExp(`\\baction\\s+(${item}(?:\\s*,\\s*${item})*)`, 'g');
  for (let m; (m = re.exec(text));) {
    const listStart = m.index + m[0].length - m[1].length;
    const end = text.indexOf(';', m.index);
    const tool = /\bappliesTo\b/.test(text.slice(m.index, end < 0 ? undefined : end));
    const nameRe = new RegExp(item, 'g');
    for (let n; (n = nameRe.exec(m[1]));) {
      const quoted = n[0].startsWith('"');
      out.push({
        name: quoted ? n[0].slice(1, -1) : n[0],
        offset: listStart + n.index + (quoted ? 1 : 0),
        namespace: namespaceAt(text, m.index),
        tool,
      });
    }
  }
  return out;
}

/** Offsets of `word` as a whole identifier (not part of a longer one) outside comments/strings-ish. */
export function findIdentifier(text: string, word: string, from = 0): number {
  const re = new RegExp(`(?<![A-Za-z0-9_"])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_"])`, 'g');
  re.lastIndex = from;
  for (let m; (m = re.exec(text));) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!text.slice(lineStart, m.index).includes('//')) return m.index;
  }
  return -1;
}

/** Applies a text replacement in memory (WorkspaceEdit, not saved). */
export async function replaceInMemory(doc: vscode.TextDocument, start: number, end: number, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit refused');
}

/** Puts a document back to `original` in memory and then reverts it, so it is clean on disk and in the editor. */
export async function restore(doc: vscode.TextDocument, original: string): Promise<void> {
  if (doc.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) log(`restore: applyEdit refused for ${doc.uri.fsPath}`);
  }
  if (doc.isDirty) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  // Safety net: the tests never save, but if anything did, put the file on disk back.
  if (doc.uri.scheme === 'file' && fs.existsSync(doc.uri.fsPath) && fs.readFileSync(doc.uri.fsPath, 'utf8') !== original) {
    log(`restore: ${doc.uri.fsPath} was saved by someone: writing the original back`);
    fs.writeFileSync(doc.uri.fsPath, original);
    await waitFor(() => doc.getText() === original, 10_000, `${doc.uri.fsPath} to reload`);
  }
  assert.equal(doc.getText(), original, `could not restore ${doc.uri.fsPath} (dirty: ${doc.isDirty})`);
}

export function agentgovDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'agentgov');
}

/** A diagnostic's code: VS Code makes it `{value, target}` when it links a documentation page. */
export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

export function fmtRange(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function describeDiagnostics(uri: vscode.Uri): string {
  return JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => `${fmtRange(d.range)} [${d.source}] ${d.message}`));
}

/** Plain text of hover contents (MarkdownString | MarkedString). */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}

/** Location | LocationLink → {uri, range} (the target range for links). */
export function targetOf(l: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range };
}

/**
 * Screenshot hand-shake with test/e2e/launch.mjs: when the launcher runs (it writes
 * OUT_DIR/screenshot-server.json with its pid), write `ready-<name>.json` and wait for
 * `done-<name>` that the launcher writes after `page.screenshot` (JSON: status, and the text of
 * the `captureText` selector when asked). Returns false when no launcher takes screenshots
 * (e.g. desktop VS Code through @vscode/test-electron).
 */
export async function requestScreenshot(
  name: string,
  waitForSelector?: string,
  options: {
    timeoutMs?: number;
    captureText?: string;
    click?: { selector: string; hasText?: string };
    /** Look the selectors up inside webviews (iframes): a result panel, the matrix. */
    inWebview?: boolean;
  } = {},
): Promise<false | { text?: string; clicked?: boolean }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const server = path.join(OUT_DIR, 'screenshot-server.json');
  if (!fs.existsSync(server)) return false;
  const { pid } = JSON.parse(fs.readFileSync(server, 'utf8')) as { pid: number };
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const done = path.join(OUT_DIR, `done-${name}`);
  fs.rmSync(done, { force: true });
  fs.writeFileSync(
    path.join(OUT_DIR, `ready-${name}.json`),
    JSON.stringify({
      name,
      waitForSelector,
      captureText: options.captureText,
      click: options.click,
      inWebview: options.inWebview,
    }),
  );
  const result = await waitFor(() => fs.existsSync(done) && fs.readFileSync(done, 'utf8'), timeoutMs, `screenshot ${name}`);
  fs.rmSync(done, { force: true });
  const reply = JSON.parse(result) as { status: string; text?: string; clicked?: boolean };
  if (reply.status.startsWith('error')) throw new Error(`screenshot ${name}: ${reply.status}`);
  if (reply.status !== 'ok') log(`screenshot ${name}: ${reply.status}`);
  return { text: reply.text, clicked: reply.clicked };
}

/** Definitions at a position, polling until the language server answers with at least one. */
export function definitionsAt(
  doc: vscode.TextDocument,
  position: vscode.Position,
  what: string,
): Promise<(vscode.Location | vscode.LocationLink)[]> {
  return locationsAt('vscode.executeDefinitionProvider', doc, position, what);
}

/** Locations a provider command (definition, declaration…) answers, polling until there is one. */
export function locationsAt(
  command: string,
  doc: vscode.TextDocument,
  position: vscode.Position,
  what: string,
): Promise<(vscode.Location | vscode.LocationLink)[]> {
  return waitFor(
    async () => {
      const l = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(command, doc.uri, position);
      return l && l.length > 0 ? l : undefined;
    },
    LSP_TIMEOUT_MS,
    what,
    250,
  );
}
