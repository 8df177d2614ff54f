// One request simulated in the real workbench (issue 10, SPEC §7), driven as a person does: the
// `▶ Simulate` lens on a tool clicked, the agent and resource picked in the quick picks, the
// context typed in its JSON editor (completion and validation from the tool's schema, by VS
// Code's own JSON features), the answer read in the result view, re-run after a policy edit,
// and saved as a test into a new file, which then passes (the server and the CLI say so).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  REPO_ROOT,
  activateExtension,
  examplesDir,
  log,
  openFile,
  replaceInMemory,
  requestScreenshot,
  restore,
  waitFor,
} from './helpers';

const SCHEME = 'agentgov-simulation';
const LENS = '.codelens-decoration a';
const PICK_ROW = '.quick-input-widget .monaco-list-row';

/** A screenshot whose click the launcher must do: without the launcher nothing can be clicked. */
async function shotAndClick(name: string, waitFor: string, click: { selector: string; hasText?: string }, inWebview = false) {
  const shot = await requestScreenshot(name, waitFor, { click, inWebview, captureText: waitFor });
  assert.ok(shot, 'no screenshot taker (test/e2e/launch.mjs): nothing can be clicked in the workbench');
  assert.equal(shot.clicked, true, `${name}: ${click.selector} "${click.hasText ?? ''}" was not clicked`);
  return shot.text ?? '';
}

/** The decision the result view shows, once it shows `cls` (`allow`, `deny`). */
async function decisionShown(name: string, cls: string): Promise<string> {
  const shot = await requestScreenshot(name, `.decision.${cls}`, {
    inWebview: true,
    captureText: '.decision, .who, .meta, .saved',
  });
  assert.ok(shot, 'no screenshot taker: the result view cannot be read');
  log(`${name}: ${shot.text}`);
  return shot.text ?? '';
}

function contextEditor(): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === SCHEME);
}

describe('simulation', function () {
  this.timeout(240_000);

  before(async () => {
    await activateExtension();
  });

  it('a ▶ Simulate lens clicked on a tool: pick the agent, type the context, read the answer, re-run it, save it as a passing test', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const testFile = path.join(examplesDir(), 'tests', 'billing-assistant-get_invoice.cedartests.json');
    fs.rmSync(testFile, { force: true });
    const policyFile = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc: tools } = await openFile(path.join(examplesDir(), 'tools', 'payments-server', 'src', 'server.ts'));
    let policy: { doc: vscode.TextDocument; original: string } | undefined;
    try {
      await waitFor(
        async () => {
          const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tools.uri);
          return (lenses ?? []).some((l) => l.command?.title === '▶ Simulate');
        },
        LSP_TIMEOUT_MS,
        'the ▶ Simulate lenses of the payments server',
        250,
      );
      // The first lens of the file is get_invoice's.
      const lens = await shotAndClick('simulate-lens', LENS, { selector: LENS, hasText: 'Simulate' });
      assert.match(lens, /▶ Simulate/);
      const agents = await shotAndClick('simulate-pick-agent', PICK_ROW, { selector: PICK_ROW, hasText: 'billing-assistant' });
      assert.match(agents, /billing-assistant/);
      await shotAndClick('simulate-pick-resource', PICK_ROW, { selector: PICK_ROW, hasText: 'McpServer::"payments"' });

      const editor = await waitFor(contextEditor, LSP_TIMEOUT_MS, 'the context editor of the simulation');
      const ctx = editor.document;
      assert.equal(ctx.languageId, 'json');
      assert.match(ctx.getText(), /"\$schema": "agentgov-simulation:/);
      assert.match(ctx.getText(), /"invoiceId": ""/);
      // VS Code's JSON features read the tool's schema: `approval` is offered at the top level…
      const top = new vscode.Position(0, 1);
      await waitFor(
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            ctx.uri,
            top,
          );
          const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
          return labels.some((l) => l.includes('approval'));
        },
        LSP_TIMEOUT_MS,
        'JSON completion of `approval` from the context schema',
        250,
      );
      editor.selection = new vscode.Selection(top, top);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      const suggest = await requestScreenshot('simulate-context-completion', '.suggest-widget .monaco-list-row', {
        captureText: '.suggest-widget .monaco-list-row',
      });
      log(`completion: ${suggest && suggest.text}`);
      await vscode.commands.executeCommand('hideSuggestWidget');
      // …and a value of the wrong type is flagged.
      const text = ctx.getText();
      const at = text.indexOf('"invoiceId": ""') + '"invoiceId": '.length;
      await replaceInMemory(ctx, at, at + 2, '42');
      await waitFor(
        () => vscode.languages.getDiagnostics(ctx.uri).some((d) => /string/i.test(d.message)),
        LSP_TIMEOUT_MS,
        'a JSON schema diagnostic on a number given for invoiceId',
      );
      await replaceInMemory(ctx, at, at + 2, '"INV-1001"');

      await shotAndClick('simulate-context', LENS, { selector: LENS, hasText: 'Run simulation' });
      const allowed = await decisionShown('simulate-result', 'allow');
      assert.match(allowed, /ALLOW/);
      assert.match(allowed, /billing-assistant/);
      assert.match(allowed, /ms · request validated against the schema/);

      // Re-run after editing the policy (unsaved, as a person edits): the answer changes.
      const { doc } = await openFile(policyFile, false);
      policy = { doc, original: doc.getText() };
      const like = policy.original.indexOf('"INV-*"');
      await replaceInMemory(doc, like, like + '"INV-*"'.length, '"INV-9*"');
      await shotAndClick('simulate-rerun', 'button#rerun', { selector: 'button#rerun', hasText: 'Re-run' }, true);
      assert.match(await decisionShown('simulate-result-after-edit', 'deny'), /DENY/);
      // Typed back as it was (still unsaved): the answer comes back.
      await replaceInMemory(doc, like, like + '"INV-9*"'.length, '"INV-*"');
      assert.equal(doc.getText(), policy.original);
      await shotAndClick('simulate-rerun-restored', 'button#rerun', { selector: 'button#rerun', hasText: 'Re-run' }, true);
      assert.match(await decisionShown('simulate-result-restored', 'allow'), /ALLOW/);
      await shotAndClick('simulate-save', 'button#save', { selector: 'button#save', hasText: 'Save as test' }, true);

      // Save as test… → New test file… → the name it offers (Enter).
      await shotAndClick('simulate-save-pick', PICK_ROW, { selector: PICK_ROW, hasText: 'New test file' });
      await waitFor(
        async () => {
          const shot = await requestScreenshot('simulate-save-name', '.quick-input-widget .quick-input-title', {
            captureText: '.quick-input-widget .quick-input-title',
          });
          return shot && /New request test file/.test(shot.text ?? '');
        },
        LSP_TIMEOUT_MS,
        'the input box naming the new test file',
        500,
      );
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await waitFor(
        () => fs.existsSync(testFile) && fs.readFileSync(testFile, 'utf8').includes('billing-read-invoices'),
        LSP_TIMEOUT_MS,
        `${testFile} to be written`,
      );
      const note = await requestScreenshot('simulate-saved-note', '.saved', { inWebview: true, captureText: '.saved' });
      assert.ok(note);
      assert.match(
        note.text ?? '',
        /Saved as request 1 of tests\/billing-assistant-get_invoice\.cedartests\.json: it passes \(allow\)/,
      );
      await requestScreenshot('simulate-saved-test', '.monaco-editor .view-lines');
      // The result view in a light theme: its colours are the theme's.
      const workbench = vscode.workspace.getConfiguration('workbench');
      const theme = workbench.get<string>('colorTheme');
      await workbench.update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
      try {
        await waitFor(() => vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Light, LSP_TIMEOUT_MS, 'a light theme');
        await requestScreenshot('simulate-result-light', '.decision.allow', { inWebview: true });
      } finally {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      }

      const saved = JSON.parse(fs.readFileSync(testFile, 'utf8').replace(/^\/\/.*$/m, '')) as {
        policies: string[];
        entities: string;
        schema: string;
        requests: Record<string, unknown>[];
      };
      assert.ok(saved.policies.includes('../policies/billing.cedar'), JSON.stringify(saved.policies));
      assert.equal(saved.entities, '../platform.cedarentities.json');
      assert.equal(saved.schema, '../agent-platform.cedarschema');
      assert.deepEqual(saved.requests, [
        {
          description: 'billing-assistant calls payments/get_invoice (invoiceId=INV-1001)',
          principal: { type: 'Platform::Agent', id: 'billing-assistant' },
          action: { type: 'Platform::Action', id: 'get_invoice' },
          resource: { type: 'Platform::McpServer', id: 'payments' },
          context: { input: { invoiceId: 'INV-1001' } },
          decision: 'allow',
          reason: ['billing-read-invoices'],
        },
      ]);
      // The CLI agrees: the saved file passes.
      const cli = path.join(REPO_ROOT, 'dist', 'cli', 'agentgov.js');
      if (fs.existsSync(cli)) {
        const r = spawnSync(process.execPath, [cli, 'test', testFile, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
        log(`agentgov test: exit ${r.status} ${r.stdout.slice(0, 300)}`);
        assert.equal(r.status, 0, r.stderr || r.stdout);
        assert.deepEqual(JSON.parse(r.stdout).summary.passed, 1);
      } else log(`no CLI at ${cli}: only the server's answer checked`);
    } finally {
      if (policy) await restore(policy.doc, policy.original);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (fs.existsSync(testFile)) await vscode.workspace.fs.delete(vscode.Uri.file(testFile));
    }
  });
});
