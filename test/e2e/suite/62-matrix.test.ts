// The access matrix (issue 10, SPEC §7) in the real workbench: opened from the Governance view's
// title bar, its webview read and clicked as a person does (a decision cell opens its determining
// policy, the agent cell the binding entry, the tool cell the definition), filtered, switched to
// every agent × every tool, refreshed by an edit, and looked at in a light theme.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  examplesDir,
  fmtRange,
  log,
  openFile,
  replaceInMemory,
  requestScreenshot,
  restore,
  waitFor,
} from './helpers';

/** What `agentgov.accessMatrix.state` answers (client/src/matrix/matrixPanel.ts). */
interface MatrixState {
  open: boolean;
  visible: boolean;
  all: boolean;
  generation: number;
  cells?: number;
  shown?: { generation: number; shown: number; total: number; filters: { risk: string[]; decision: string[] } };
  opened?: { uri: string };
}

const state = () => vscode.commands.executeCommand<MatrixState>('agentgov.accessMatrix.state');
/** The matrix once its webview shows rows for the latest answer (and `more` holds). */
const rendered = (what: string, more: (s: MatrixState) => boolean = () => true) =>
  waitFor(
    async () => {
      const s = await state();
      return s?.shown && s.shown.total > 0 && more(s) ? s : undefined;
    },
    LSP_TIMEOUT_MS * 2,
    what,
    100,
  );

const ROW = 'tr[data-agent="billing-assistant"][data-tool="payments/create_refund"]';
const ROWS = '#matrix tbody tr';
const VISIBLE_ROWS = '#matrix tbody tr:not([hidden])';

/** A person's click in the matrix's webview (the launcher takes a picture first, then clicks). */
async function clickInMatrix(shot: string, selector: string, hasText?: string): Promise<void> {
  const r = await requestScreenshot(shot, selector, { inWebview: true, click: { selector, hasText } });
  assert.ok(r, 'no screenshot taker: the webview cannot be clicked');
  assert.equal(r.clicked, true, `${selector} was not clicked`);
}

/** The rows the webview shows now, as their text (cells separated by tabs). */
async function visibleRows(shot: string): Promise<string[]> {
  const r = await requestScreenshot(shot, VISIBLE_ROWS, { inWebview: true, captureText: VISIBLE_ROWS });
  assert.ok(r, 'no screenshot taker: the webview cannot be read');
  return (r.text ?? '').split('\u241E').filter(Boolean);
}

/** A row's cells as the webview shows them (innerText: cells by tabs, block lines by newlines). */
const cellsOf = (row: string) => row.split('\t').map((c) => c.trim());

/** The active editor once it shows `file`. */
function editorOf(file: string, what: string): Promise<vscode.TextEditor> {
  return waitFor(
    () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === file ? e : undefined;
    },
    LSP_TIMEOUT_MS,
    what,
  );
}

/** From `needle` to the end of its statement (`;`), where the matrix selects a policy. */
function statementRange(doc: vscode.TextDocument, needle: string): vscode.Range {
  const text = doc.getText();
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `${needle} not in ${doc.uri.fsPath}`);
  return new vscode.Range(doc.positionAt(start), doc.positionAt(text.indexOf(';', start) + 1));
}

describe('access matrix', function () {
  this.timeout(180_000);

  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The sidebar was closed for the picture: the suites after this one find the Explorer as it was.
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it("opens from the Governance view's title bar", async () => {
    const headerActions = vscode.workspace.getConfiguration('workbench.view');
    const before = headerActions.inspect<boolean>('alwaysShowHeaderActions')?.globalValue;
    // Title bar buttons of a view in the Explorer show on hover; shown always, the picture has them.
    await headerActions.update('alwaysShowHeaderActions', true, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('agentgov.governance.focus');
      const button = '.pane-header .action-label[aria-label="Show Access Matrix"]';
      const r = await requestScreenshot('governance-view-matrix-button', button, { click: { selector: button } });
      assert.ok(r, 'no screenshot taker: the button cannot be clicked');
      assert.equal(r.clicked, true);
      const s = await rendered('the matrix opened from the view');
      assert.equal(s.open, true);
      assert.equal(s.shown!.shown, s.shown!.total, 'no filter is set yet');
      assert.equal(s.shown!.total, s.cells);
    } finally {
      await headerActions.update('alwaysShowHeaderActions', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows each bound agent × tool with its decisions, condition, policies, identity, audit and risk; a click on a decision opens its policy', async () => {
    await vscode.commands.executeCommand('agentgov.showAccessMatrix');
    // The whole width for the picture (the README shows it).
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await rendered('the matrix');
    const cell = `${ROW} td.decision.without`;
    // The picture of the matrix, its rows read as they are shown, then a click on the decision.
    const shot = await requestScreenshot('access-matrix', cell, {
      inWebview: true,
      captureText: ROWS,
      click: { selector: cell },
    });
    assert.ok(shot, 'no screenshot taker: the webview cannot be read');
    const rows = (shot.text ?? '').split('\u241E');
    log(`access matrix rows:\n${rows.map((r) => r.replace(/\s+/g, ' ')).join('\n')}`);
    const refund = rows.find((r) => r.startsWith('billing-assistant\tpayments/create_refund'));
    assert.ok(refund, `no row billing-assistant × payments/create_refund in ${rows.join(' | ')}`);
    const columns = cellsOf(refund);
    assert.deepEqual(columns.slice(0, 4), ['billing-assistant', 'payments/create_refund', 'depends', 'depends']);
    assert.match(
      columns[4],
      /^allowed when context\.input\.amount <= 500 && context\.input\.currency == "EUR", unless context\.input\.amount > 500/,
    );
    assert.match(columns[5], /^billing-small-refunds, refunds-above-limit-need-approval/);
    assert.equal(columns[6], 'workload spiffe://acme.example/agents/billing-assistant\npayments-api: jit-token 15m');
    assert.equal(columns[7], 'otel://collector.acme.example:4317');
    assert.match(columns[8], /^high\n/);
    const publish = rows.find((r) => r.startsWith('analytics-agent\tpublish_report'));
    assert.deepEqual(cellsOf(publish ?? '').slice(0, 4), ['analytics-agent', 'publish_report', 'allow', 'allow']);

    // The click: the first policy behind "depends", selected where it is written.
    assert.equal(shot.clicked, true, 'the decision cell was not clicked');
    const policy = path.join(examplesDir(), 'policies', 'billing.cedar');
    const editor = await editorOf(policy, 'the policy the decision cell opens');
    const want = statementRange(editor.document, '@id("billing-small-refunds")');
    await waitFor(() => editor.selection.isEqual(want), LSP_TIMEOUT_MS, `selection ${fmtRange(want)}`).catch(() =>
      assert.fail(`selection ${fmtRange(editor.selection)}, expected ${fmtRange(want)}`),
    );
    await requestScreenshot('access-matrix-policy', '.monaco-editor .selected-text');
  });

  it('the agent cell opens the binding entry, the tool cell the tool definition', async () => {
    await clickInMatrix('access-matrix-agent-click', `${ROW} td.agent`);
    const binding = path.join(examplesDir(), 'agents', 'billing-assistant.agent.yaml');
    const b = await editorOf(binding, 'the binding the agent cell opens');
    await waitFor(() => b.document.getText(b.selection) === 'payments/create_refund', LSP_TIMEOUT_MS, 'the entry selected').catch(
      () => assert.fail(`selected ${JSON.stringify(b.document.getText(b.selection))} at ${fmtRange(b.selection)}`),
    );

    await clickInMatrix('access-matrix-tool-click', `${ROW} td.tool`);
    const t = await waitFor(
      () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath.startsWith(path.join(examplesDir(), 'tools', 'payments-server')) ? e : undefined;
      },
      LSP_TIMEOUT_MS,
      'the tool definition the tool cell opens',
    );
    assert.match(t.document.getText(t.selection), /create_refund/);
  });

  it('filters by risk: rows of other risks hide, and come back when the filter is cleared', async () => {
    const all = await rendered('the matrix');
    await clickInMatrix('access-matrix-filter-click', 'button.chip[data-filter="risk"]', 'high');
    const filtered = await rendered('the risk filter', (s) => s.shown!.filters.risk.join() === 'high');
    assert.ok(
      filtered.shown!.shown < all.shown!.total,
      `risk high hides nothing (${filtered.shown!.shown} of ${all.shown!.total})`,
    );
    const rows = await visibleRows('access-matrix-filtered');
    assert.equal(rows.length, filtered.shown!.shown);
    for (const r of rows) assert.match(cellsOf(r)[8], /^high\n/, `a row of another risk is shown: ${r}`);
    assert.ok(!rows.some((r) => r.includes('payments/get_invoice')), 'the low-risk get_invoice row is still shown');
    assert.ok(rows.some((r) => r.includes('payments/create_refund')));

    await clickInMatrix('access-matrix-filter-clear', 'button#clear');
    const cleared = await rendered('the filter cleared', (s) => !s.shown!.filters.risk.length);
    assert.equal(cleared.shown!.shown, cleared.shown!.total);
  });

  it('every agent × every tool, and back', async () => {
    const bound = await rendered('the matrix');
    await clickInMatrix('access-matrix-all-on', '#all');
    const all = await rendered('every agent × every tool', (s) => s.all && s.generation > bound.generation);
    assert.ok(all.shown!.total > bound.shown!.total, `${all.shown!.total} cells with --all, ${bound.shown!.total} without`);
    const rows = await visibleRows('access-matrix-all');
    assert.ok(
      rows.some((r) => cellsOf(r).slice(0, 3).join('|') === 'support-agent|payments/create_refund not listed|deny'),
      'an unlisted pair',
    );
    await clickInMatrix('access-matrix-all-off', '#all');
    const back = await rendered('bound pairs again', (s) => !s.all && s.generation > all.generation);
    assert.equal(back.shown!.total, bound.shown!.total);
  });

  it('follows an edit of a policy, and reads in a light theme', async () => {
    const before = await rendered('the matrix');
    const { doc } = await openFile(path.join(examplesDir(), 'policies', 'billing.cedar'), false);
    const original = doc.getText();
    const workbench = vscode.workspace.getConfiguration('workbench');
    const theme = workbench.inspect<string>('colorTheme')?.globalValue;
    try {
      // Without the forbid, nothing but the permit's condition decides a refund.
      const forbid = original.indexOf('@id("refunds-above-limit-need-approval")');
      await replaceInMemory(doc, forbid, original.length, '');
      await vscode.commands.executeCommand('agentgov.showAccessMatrix');
      await rendered('the matrix after the edit', (s) => s.generation > before.generation);
      const rows = await visibleRows('access-matrix-edited');
      const refund = rows.find((r) => r.startsWith('billing-assistant\tpayments/create_refund')) ?? '';
      assert.equal(cellsOf(refund)[4], 'allowed when context.input.amount <= 500 && context.input.currency == "EUR"');
      assert.equal(cellsOf(refund)[5], 'billing-small-refunds');

      await workbench.update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
      const light = await requestScreenshot('access-matrix-light', 'body.vscode-light #matrix tbody tr', { inWebview: true });
      assert.ok(light, 'no screenshot taker');
    } finally {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      await restore(doc, original);
    }
  });
});
