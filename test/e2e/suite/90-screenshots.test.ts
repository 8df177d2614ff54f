// Screenshots of what a user sees, taken by test/e2e/launch.mjs (Playwright) on request.
// Under @vscode/test-electron (no screenshot taker), the tests still set the scene and pass.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  agentgovDiagnostics,
  codeOf,
  describeDiagnostics,
  examplesDir,
  findIdentifier,
  log,
  metrics,
  openFile,
  policyPaths,
  replaceInMemory,
  requestScreenshot,
  restore,
  schemaEntityTypes,
  schemaPath,
  waitFor,
} from './helpers';

describe('screenshots', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('(a) a policy with squiggles and the Problems panel', async () => {
    const { doc, editor } = await openFile(policyPaths()[0]);
    const original = doc.getText();
    const at = findIdentifier(original, 'permit') >= 0 ? findIdentifier(original, 'permit') : findIdentifier(original, 'forbid');
    assert.ok(at >= 0);
    try {
      await replaceInMemory(doc, at + 2, at + 2, 'x');
      await waitFor(() => agentgovDiagnostics(doc.uri).length > 0, LSP_TIMEOUT_MS, 'diagnostics to show').catch((e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(doc.uri)}`);
      });
      editor!.revealRange(
        new vscode.Range(doc.positionAt(at), doc.positionAt(at)),
        vscode.TextEditorRevealType.InCenterIfOutsideViewport,
      );
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      const taken = await requestScreenshot('problems', '.markers-panel .monaco-list-row');
      log(`screenshot problems: ${taken ? 'taken' : 'no screenshot taker'}`);
    } finally {
      await restore(doc, original);
    }
  });

  it('(b) a hover on an entity type', async () => {
    const types = schemaEntityTypes(fs.readFileSync(schemaPath(), 'utf8'));
    let target: { file: string; offset: number } | undefined;
    for (const file of policyPaths()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const t of types) {
        const i = text.indexOf(`${t.name}::"`);
        if (i >= 0) {
          target = { file, offset: i + 1 };
          break;
        }
        const j = findIdentifier(text, t.name);
        if (j >= 0 && /\bis\s+(?:\w+::)*$/.test(text.slice(Math.max(0, j - 60), j))) {
          target = { file, offset: j + 1 };
          break;
        }
      }
      if (target) break;
    }
    assert.ok(target, 'no entity type used in the example policies');
    const { doc, editor } = await openFile(target.file);
    const pos = doc.positionAt(target.offset);
    editor!.selection = new vscode.Selection(pos, pos);
    editor!.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    // Wait until the language server answers hovers there, then show the hover in the editor.
    await waitFor(
      async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
        return h && h.length > 0;
      },
      LSP_TIMEOUT_MS,
      'a hover answer',
      250,
    );
    await vscode.commands.executeCommand('editor.action.showHover');
    const taken = await requestScreenshot('hover', '.monaco-hover .hover-contents, .monaco-hover .markdown-hover');
    log(`screenshot hover: ${taken ? 'taken' : 'no screenshot taker'}`);
  });

  it('(d) a governance finding: its squiggle and its hover with the rule, why it matters and its framework mappings', async () => {
    // The hover of (b) may still be open on this very file: start from a clean editor.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = path.join(examplesDir(), 'policies', 'analytics.cedar');
    const { doc, editor } = await openFile(file);
    const d = await waitFor(
      () => agentgovDiagnostics(doc.uri).find((x) => codeOf(x) === 'AG008'),
      LSP_TIMEOUT_MS,
      'AG008 on the analytics policies',
    );
    const pos = d.range.start.translate(0, 1);
    editor!.selection = new vscode.Selection(pos, pos);
    editor!.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
    const text = await waitFor(
      async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
        const md = (h ?? []).flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        return md.includes('AG008') ? md : undefined;
      },
      LSP_TIMEOUT_MS,
      'the hover of AG008',
      250,
    );
    assert.match(text, /Why it matters/);
    assert.match(text, /OWASP-ASI-2026 ASI02 Tool Misuse and Exploitation/);
    assert.match(text, /docs\/rules\/AG008\.md/);
    await vscode.commands.executeCommand('editor.action.showHover');
    const taken = await requestScreenshot('governance-hover', '.monaco-hover .hover-contents, .monaco-hover .markdown-hover');
    log(`screenshot governance hover: ${taken ? 'taken' : 'no screenshot taker'}`);
  });

  it('(c) Running Extensions: the activation time as VS Code measured it', async () => {
    await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
    const rows = '.runtime-extensions-editor .monaco-list-row';
    const taken = await requestScreenshot('running-extensions', rows, { captureText: rows });
    if (!taken) return;
    const row = (taken.text ?? '').split('\u241E').find((r) => r.includes('Cedar Agent Governance'));
    log(`running extensions, our row: ${row?.replace(/\s+/g, ' ')}`);
    // e.g. "Cedar Agent Governance ... Activation: 41ms".
    const ms = row && /(\d+)\s*ms/.exec(row);
    if (ms) metrics.activationMsByVSCode = Number(ms[1]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
