// Issue 9 in the real workbench: a governance finding fixed by its quick fix, chosen in the
// light-bulb menu with the mouse as a person does; and a workspace rule (`.agentgov/rules/`)
// firing on the example workspace as soon as its file appears, and gone when it is removed.
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
  hoverText,
  log,
  openFile,
  requestScreenshot,
  restore,
  waitFor,
} from './helpers';

/** Every agentgov diagnostic VS Code holds now, with its file. */
function allDiagnostics(): { uri: vscode.Uri; d: vscode.Diagnostic }[] {
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'agentgov').map((d) => ({ uri, d })));
}

describe('governance quick fixes and workspace rules', function () {
  this.timeout(120_000);

  before(async () => {
    await activateExtension();
  });

  it('a step-up quick fix picked in the light-bulb menu silences AG008 and leaves valid Cedar', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const found = await waitFor(
      () => allDiagnostics().find((x) => codeOf(x.d) === 'AG008' && x.uri.fsPath.endsWith('.cedar')),
      LSP_TIMEOUT_MS,
      'an AG008 finding on an example policy',
    );
    const { doc, editor } = await openFile(found.uri.fsPath);
    const original = doc.getText();
    const before = agentgovDiagnostics(doc.uri).filter((d) => codeOf(d) === 'AG008').length;
    try {
      const pos = found.d.range.start.translate(0, 1);
      editor!.selection = new vscode.Selection(pos, pos);
      editor!.revealRange(found.d.range, vscode.TextEditorRevealType.InCenter);
      // The server offers the fix for this diagnostic (asked as the light bulb asks).
      await waitFor(
        async () => {
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            found.d.range,
            vscode.CodeActionKind.QuickFix.value,
          );
          return (actions ?? []).some((a) => a.title.startsWith('Add a step-up condition'));
        },
        LSP_TIMEOUT_MS,
        'the step-up quick fix',
        250,
      );
      await vscode.commands.executeCommand('editor.action.quickFix');
      const menu = await requestScreenshot('quick-fix-menu', '.action-widget .monaco-list-row', {
        captureText: '.action-widget .monaco-list-row',
        click: { selector: '.action-widget .monaco-list-row', hasText: 'Add a step-up condition' },
      });
      assert.ok(menu, 'no screenshot taker: the quick fix cannot be clicked in the workbench');
      log(`quick fix menu: ${menu.text}`);
      assert.match(menu.text ?? '', /Add a step-up condition/);
      assert.match(menu.text ?? '', /Suppress AG008 with a reason/);
      assert.equal(menu.clicked, true);
      await waitFor(() => doc.getText().includes('context has approval'), LSP_TIMEOUT_MS, 'the edit of the quick fix');
      await waitFor(
        () => agentgovDiagnostics(doc.uri).filter((d) => codeOf(d) === 'AG008').length < before,
        LSP_TIMEOUT_MS,
        'AG008 to go',
      ).catch((e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(doc.uri)}`);
      });
      const cedarErrors = agentgovDiagnostics(doc.uri).filter((d) => String(codeOf(d)).startsWith('cedar-'));
      assert.deepEqual(
        cedarErrors.map((d) => d.message),
        [],
        'the fixed policy is valid Cedar',
      );
      await requestScreenshot('quick-fix-applied', '.monaco-editor .view-lines');
    } finally {
      await restore(doc, original);
    }
  });

  it('a workspace rule in .agentgov/rules/ fires on the example agents, and goes with its file', async () => {
    const file = path.join(examplesDir(), '.agentgov', 'rules', 'e2e-review.cedar');
    const rule = [
      '@id("E2E001")',
      '@severity("info")',
      '@message("Workspace rule: agent {name} has {toolCount} tools; more than two need a review.")',
      'forbid (principal is AgentGov::Agent, action, resource)',
      'when { principal.toolCount > 2 };',
      '',
    ].join('\n');
    const top = path.join(examplesDir(), '.agentgov');
    const existed = fs.existsSync(top);
    // Created and deleted through VS Code, as in the Explorer: the workbench reports both itself.
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(rule));
    try {
      const hit = await waitFor(
        () => allDiagnostics().find((x) => codeOf(x.d) === 'E2E001'),
        LSP_TIMEOUT_MS,
        'a finding of the workspace rule E2E001',
      );
      assert.match(hit.d.message, /^Workspace rule: agent \S+ has \d+ tools/);
      assert.ok(hit.uri.fsPath.endsWith('.agent.yaml'), `on a binding: ${hit.uri.fsPath}`);
      assert.equal(hit.d.severity, vscode.DiagnosticSeverity.Information);
      // The rule file itself is Cedar over the facts schema, and valid: no finding on it.
      assert.deepEqual(
        vscode.languages.getDiagnostics(vscode.Uri.file(file)).map((d) => d.message),
        [],
        'the rule file validates against the facts schema',
      );
      // Its squiggle and hover in the tool's file, as a reviewer meets it.
      const { doc, editor } = await openFile(hit.uri.fsPath);
      const pos = hit.d.range.start.translate(0, 1);
      editor!.selection = new vscode.Selection(pos, pos);
      editor!.revealRange(hit.d.range, vscode.TextEditorRevealType.InCenter);
      await waitFor(
        async () => {
          const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
          return hoverText(h ?? []).includes('E2E001');
        },
        LSP_TIMEOUT_MS,
        'the hover of the workspace rule finding',
        250,
      );
      await vscode.commands.executeCommand('editor.action.showHover');
      await requestScreenshot('workspace-rule', '.monaco-hover .hover-contents, .monaco-hover .markdown-hover');
    } finally {
      // Closed first: while open, the editor's text is the truth for the server.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // The whole `.agentgov` folder when the test made it: VS Code reports the folder alone.
      await vscode.workspace.fs.delete(vscode.Uri.file(existed ? file : top), { recursive: true });
    }
    await waitFor(() => !allDiagnostics().some((x) => codeOf(x.d) === 'E2E001'), LSP_TIMEOUT_MS, 'E2E001 to go with its file');
  });
});
