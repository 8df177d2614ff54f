// The Agent Governance view (SPEC §8) in the real workbench: agents, their tools, the tools no
// agent is bound to; opening a tool's definition; the hover on a tool action in a policy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  describeDiagnostics,
  examplesDir,
  fmtRange,
  hoverText,
  log,
  openFile,
  replaceInMemory,
  requestScreenshot,
  restore,
  waitFor,
} from './helpers';

/** What client/src/governanceView.ts renders (RenderedNode), as the extension's API hands it out. */
interface TreeNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  command?: { command: string; arguments: unknown[] };
  children: TreeNode[];
}

interface GovApi {
  ready: Promise<void>;
  governanceTree(): Promise<TreeNode[]>;
}

const UNBOUND_GROUP = 'Tools no agent is bound to';

/** name + tool refs of each example binding, read from the YAML text (flat `tools:` list). */
function exampleBindings(): { name: string; tools: string[]; file: string }[] {
  const dir = path.join(examplesDir(), 'agents');
  assert.ok(fs.existsSync(dir), `example agents folder missing: ${dir}`);
  return fs
    .readdirSync(dir)
    .filter((f) => /\.agent\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const text = fs.readFileSync(file, 'utf8');
      const name = /^name:\s*(\S+)/m.exec(text)?.[1];
      assert.ok(name, `no name: in ${file}`);
      const list = /^tools:\s*\n((?:[ \t]+-[^\n]*\n?|[ \t]*#[^\n]*\n?)*)/m.exec(text)?.[1] ?? '';
      const tools = [...list.matchAll(/^[ \t]+-\s*([^\s#]+)/gm)].map((m) => m[1].replace(/^["']|["']$/g, ''));
      return { name, tools, file };
    });
}

const describeTree = (nodes: TreeNode[], indent = ''): string =>
  nodes.map((n) => `${indent}${n.label} [${n.description ?? ''}]\n${describeTree(n.children, `${indent}  `)}`).join('');

async function api(): Promise<GovApi> {
  const ext = await activateExtension();
  const exports = ext.exports as GovApi | undefined;
  assert.ok(exports && typeof exports.governanceTree === 'function', 'the extension API has no governanceTree()');
  await exports.ready;
  return exports;
}

/** The tree once it shows every example agent and the unbound group (it fills when the server has scanned). */
async function fullTree(): Promise<TreeNode[]> {
  const gov = await api();
  const agents = exampleBindings().map((b) => b.name);
  let last: TreeNode[] = [];
  return waitFor(
    async () => {
      last = await gov.governanceTree();
      const labels = last.map((n) => n.label);
      return agents.every((a) => labels.includes(a)) && labels.includes(UNBOUND_GROUP) ? last : undefined;
    },
    LSP_TIMEOUT_MS,
    'the Governance view to list the example agents and the unbound tools',
    250,
  ).catch((e) => {
    throw new Error(`${e.message}\ntree now:\n${describeTree(last)}`);
  });
}

describe('Agent Governance view', () => {
  before(async () => {
    await activateExtension();
  });

  it('lists the 6 example agents with their tools, the unknown summarize_page and the unbound export_customer_data', async () => {
    const tree = await fullTree();
    log(`governance tree:\n${describeTree(tree)}`);
    const bindings = exampleBindings();
    assert.equal(bindings.length, 6, `expected 6 example bindings, found ${bindings.map((b) => b.name).join(', ')}`);
    const agents = tree.filter((n) => n.label !== UNBOUND_GROUP);
    assert.deepEqual(agents.map((a) => a.label).sort(), bindings.map((b) => b.name).sort(), 'top-level agents');
    for (const b of bindings) {
      const node = agents.find((a) => a.label === b.name)!;
      assert.match(node.description ?? '', new RegExp(`Agent::"${b.name}"`), `${b.name}: description is not its principal`);
      assert.ok(node.children.length > 0, `${b.name} shows no tools`);
      // Each ref of the binding is one child: `server/tool` or a bare tool name, with its risk class.
      assert.deepEqual(
        node.children.map((c) => c.label),
        b.tools.map((ref) => node.children.find((c) => c.label === ref || c.label.endsWith(`/${ref}`))?.label ?? ref),
        `${b.name}: tools shown differ from the binding's tools (${b.tools.join(', ')})`,
      );
      for (const c of node.children) {
        // The one deliberate unknown reference (AG003 in examples/) shows as such, every other as a tool.
        if (b.name === 'research-agent' && c.label === 'summarize_page') {
          assert.equal(c.description, 'unknown tool', `${b.name} / ${c.label}: description ${c.description}`);
          assert.equal(c.icon, 'warning');
          continue;
        }
        assert.match(c.description ?? '', /^(high|medium|low) risk$/, `${b.name} / ${c.label}: description ${c.description}`);
        assert.equal(c.command?.command, 'agentgov.governance.openDefinition', `${b.name} / ${c.label}: no open command`);
      }
    }
    const research = agents.find((a) => a.label === 'research-agent');
    assert.ok(
      research?.children.some((c) => c.label === 'summarize_page'),
      'research-agent does not show its unknown summarize_page',
    );
    const refund = agents.find((a) => a.label === 'billing-assistant')?.children.find((c) => c.label.endsWith('create_refund'));
    assert.ok(refund, 'billing-assistant does not show create_refund');
    assert.equal(refund.description, 'high risk', 'create_refund (moves money) is not high risk');
    assert.match(refund.tooltip ?? '', /amount/, 'create_refund tooltip does not list its input fields');
    const unbound = tree.find((n) => n.label === UNBOUND_GROUP)!;
    assert.deepEqual(
      unbound.children.map((c) => c.label),
      ['export_customer_data'],
      'the unbound group should hold export_customer_data alone',
    );
    assert.match(unbound.children[0].description ?? '', /risk$/);
  });

  it('the Refresh command asks the server again and the tree stays complete', async () => {
    await fullTree();
    await vscode.commands.executeCommand('agentgov.governance.refresh');
    const tree = await fullTree();
    assert.ok(tree.find((n) => n.label === UNBOUND_GROUP)?.children.some((c) => c.label === 'export_customer_data'));
  });

  it('an unknown tool typed into a binding shows as "unknown tool" under its agent, and goes away again', async () => {
    await fullTree();
    const binding = exampleBindings().find((b) => b.tools.length > 0)!;
    const { doc } = await openFile(binding.file);
    const original = doc.getText();
    const last = binding.tools[binding.tools.length - 1];
    const at = original.indexOf(`- ${last}`);
    assert.ok(at >= 0, `no "- ${last}" in ${binding.file}`);
    const lineEnd = original.indexOf('\n', at);
    const indent = original.slice(original.lastIndexOf('\n', at) + 1, at);
    const children = async () => (await (await api()).governanceTree()).find((n) => n.label === binding.name)?.children ?? [];
    try {
      // In memory only: the server hears it through didChange and tells the view (agentgov/inventoryChanged).
      await replaceInMemory(doc, lineEnd, lineEnd, `\n${indent}- no_such_tool`);
      const unknown = await waitFor(
        async () => (await children()).find((c) => c.label === 'no_such_tool'),
        LSP_TIMEOUT_MS,
        `no_such_tool under ${binding.name}`,
        100,
      );
      assert.equal(unknown.description, 'unknown tool');
      assert.equal(unknown.icon, 'warning');
    } finally {
      await restore(doc, original);
    }
    await waitFor(
      async () => !(await children()).some((c) => c.label === 'no_such_tool'),
      LSP_TIMEOUT_MS,
      'no_such_tool to go away',
      100,
    );
  });

  it('opening a tool item shows its definition with the selection on the tool name', async () => {
    const tree = await fullTree();
    const refund = tree.find((a) => a.label === 'billing-assistant')?.children.find((c) => c.label.endsWith('create_refund'));
    assert.ok(refund?.command, 'no create_refund item with a command');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(refund.command.command, ...refund.command.arguments);
    const expected = path.join(examplesDir(), 'tools', 'payments-server', 'src', 'server.ts');
    const editor = await waitFor(
      () => {
        const e = vscode.window.activeTextEditor;
        return e && path.resolve(e.document.uri.fsPath) === path.resolve(expected) ? e : undefined;
      },
      10_000,
      `an editor on ${expected} (active: ${vscode.window.activeTextEditor?.document.uri.fsPath})`,
    );
    const selected = editor.document.getText(editor.selection);
    log(
      `open create_refund -> ${path.basename(editor.document.uri.fsPath)}:${fmtRange(editor.selection)} ${JSON.stringify(selected)}`,
    );
    assert.ok(!editor.selection.isEmpty, 'nothing is selected');
    assert.match(
      selected,
      /^['"`]?create_refund['"`]?$/,
      `selection ${fmtRange(editor.selection)} is ${JSON.stringify(selected)}`,
    );
    log(`diagnostics on server.ts: ${describeDiagnostics(editor.document.uri)}`);
    const line = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => /['"`]create_refund['"`]/.test(l));
    assert.equal(editor.selection.start.line, line, 'selection is not on the line that names the tool');
  });

  it('hover on Platform::Action::"create_refund" in billing.cedar answers with the tool', async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const needle = 'Platform::Action::"create_refund"';
    const at = doc.getText().indexOf(needle);
    assert.ok(at >= 0, `${needle} not in ${file}`);
    const pos = doc.positionAt(at + needle.length - '_refund"'.length);
    const hovers = await waitFor(
      async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
        return h && hoverText(h).trim() ? h : undefined;
      },
      LSP_TIMEOUT_MS,
      'a hover on create_refund',
      250,
    );
    const text = hoverText(hovers);
    log(`hover on create_refund: ${JSON.stringify(text)}`);
    assert.match(text, /create_refund/);
    // The tool behind the action (SPEC §8): its kind, risk class and inputs.
    assert.match(text, /\bTool\b/, 'the hover does not present create_refund as a tool');
    assert.match(text, /\brisk\b[^\n]*\bhigh\b/i, 'the hover does not give the high risk class');
    assert.match(text, /amount/, 'the hover does not list the input fields');
  });

  it('screenshot: the Explorer with the Agent Governance view expanded', async () => {
    const tree = await fullTree();
    // Beside the view: the definition of create_refund, opened from its tree item.
    const refund = tree.find((a) => a.label === 'billing-assistant')?.children.find((c) => c.label.endsWith('create_refund'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (refund?.command) await vscode.commands.executeCommand(refund.command.command, ...refund.command.arguments);
    await vscode.commands.executeCommand('workbench.view.explorer');
    // The folder view takes most of the side bar's height: the other Explorer views move out for
    // the picture (so the whole tree is visible) and come back afterwards.
    const others = { viewIds: ['workbench.explorer.fileView', 'outline', 'timeline'] };
    await vscode.commands.executeCommand('vscode.moveViews', { ...others, destinationId: 'workbench.view.search' });
    let taken: Awaited<ReturnType<typeof requestScreenshot>>;
    try {
      await vscode.commands.executeCommand('workbench.view.explorer');
      // A wider side bar, so the principals are not cut off: the editor, focused, gets narrower.
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
      await vscode.commands.executeCommand('agentgov.governance.focus');
      taken = await requestScreenshot('governance-view', '.monaco-list-row[aria-label*="export_customer_data"]', {
        captureText: '.monaco-list-row[aria-label*="billing-assistant"], .monaco-list-row[aria-label*="export_customer_data"]',
      });
    } finally {
      await vscode.commands.executeCommand('vscode.moveViews', { ...others, destinationId: 'workbench.view.explorer' });
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
    }
    if (!taken) return log('screenshot governance-view: no screenshot taker');
    log(`screenshot governance-view rows: ${JSON.stringify(taken.text)}`);
    assert.match(taken.text ?? '', /billing-assistant/, 'the workbench shows no billing-assistant row');
    assert.match(taken.text ?? '', /export_customer_data/, 'the workbench shows no export_customer_data row');
  });
});
