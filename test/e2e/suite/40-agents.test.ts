import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  agentgovDiagnostics,
  definitionsAt,
  locationsAt,
  targetOf,
  examplesDir,
  fmtRange,
  log,
  openFile,
  replaceInMemory,
  restore,
  waitFor,
  codeOf,
  describeDiagnostics,
} from './helpers';

/** Identity bindings, tool actions and folding, as a user meets them in the workbench. */
describe('agents and tools', () => {
  before(async () => {
    await activateExtension();
  });

  it("completion under `tools:` of a binding offers the workspace's tools", async () => {
    const file = path.join(examplesDir(), 'agents', 'billing-assistant.agent.yaml');
    const { doc } = await openFile(file);
    const original = doc.getText();
    try {
      const at = original.indexOf('  - payments/create_refund\n') + '  - payments/create_refund\n'.length;
      await replaceInMemory(doc, at, at, '  - \n');
      const position = doc.positionAt(at + 4);
      const labels = await waitFor(
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            doc.uri,
            position,
          );
          const l = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
          return l.includes('ci/deploy_service') ? l : undefined;
        },
        LSP_TIMEOUT_MS,
        'tool completion in the binding',
      );
      log(`binding completion: ${labels.filter((l) => l.includes('/')).join(', ')}`);
      assert.ok(labels.includes('payments/create_refund'));
    } finally {
      await restore(doc, original);
    }
  });

  it('a binding that names a missing tool gets AG003 on that entry', async () => {
    const file = path.join(examplesDir(), 'agents', 'support-agent.agent.yaml');
    const { doc } = await openFile(file);
    const original = doc.getText();
    try {
      const start = original.indexOf('reply_to_ticket');
      await replaceInMemory(doc, start, start + 'reply_to_ticket'.length, 'reply_to_tikcet');
      const d = await waitFor(
        () => agentgovDiagnostics(doc.uri).find((x) => codeOf(x) === 'AG003'),
        LSP_TIMEOUT_MS,
        'AG003 in the binding',
      );
      assert.equal(
        fmtRange(d.range),
        fmtRange(new vscode.Range(doc.positionAt(start), doc.positionAt(start + 'reply_to_tikcet'.length))),
      );
      assert.match(d.message, /reply_to_ticket/);
      // The rule's documentation page, as the Problems panel links it.
      assert.match(String(typeof d.code === 'object' ? d.code.target : ''), /docs\/rules\/AG003\.md$/);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      await restore(doc, original);
    }
    await waitFor(
      () => !agentgovDiagnostics(doc.uri).some((x) => codeOf(x) === 'AG003'),
      LSP_TIMEOUT_MS,
      'AG003 to go away after the fix',
    );
  });

  it("go to definition on a tool action opens the tool's code", async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const at = doc.getText().indexOf('"create_refund"') + 3;
    const locations = await definitionsAt(doc, doc.positionAt(at), 'definition of create_refund');
    const { uri, range } = targetOf(locations[0]);
    assert.equal(uri.fsPath, path.join(examplesDir(), 'tools', 'payments-server', 'src', 'server.ts'));
    const text = fs.readFileSync(uri.fsPath, 'utf8').split('\n')[range.start.line];
    assert.equal(text.slice(range.start.character, range.end.character), "'create_refund'");
  });

  it('hover on an action the schema does not declare shows the tool it comes from', async () => {
    const file = path.join(examplesDir(), 'policies', 'support.cedar');
    const { doc } = await openFile(file);
    const original = doc.getText();
    try {
      const policy =
        '\npermit (principal, action == Action::"export_customer_data", resource) when { context.input.customerId == "c-1" };\n';
      await replaceInMemory(doc, original.length, original.length, policy);
      const at = original.length + policy.indexOf('export_customer_data') + 2;
      const md = await waitFor(
        async () => {
          const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
            'vscode.executeHoverProvider',
            doc.uri,
            doc.positionAt(at),
          );
          const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
          return text.includes('**Tool**') ? text : undefined;
        },
        LSP_TIMEOUT_MS,
        'hover on the derived tool action',
      );
      assert.match(md, /export_customer_data/);
      assert.match(md, /No agent is bound to it/);
      // The derived action types context.input: once the governance pass has seen the new permit
      // (its any-principal AG009), the policy has no Cedar diagnostics.
      const addedLine = doc.positionAt(original.length + 1).line;
      await waitFor(
        () => agentgovDiagnostics(doc.uri).some((d) => codeOf(d) === 'AG009' && d.range.start.line === addedLine),
        LSP_TIMEOUT_MS,
        'AG009 on the added permit',
      ).catch((e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(doc.uri)}`);
      });
      const cedar = agentgovDiagnostics(doc.uri).filter((d) => /^cedar-/.test(String(codeOf(d))));
      assert.deepEqual(
        cedar.map((d) => d.message),
        [],
        'the policy on the derived action has Cedar diagnostics',
      );
    } finally {
      await restore(doc, original);
    }
  });

  it('an agent principal links to its identity binding (hover and definition)', async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const at = doc.positionAt(doc.getText().indexOf('"billing-assistant"') + 3);
    const md = await waitFor(
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
        const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        return text.includes('**Agent**') ? text : undefined;
      },
      LSP_TIMEOUT_MS,
      'hover on the agent principal',
    );
    assert.match(md, /Identity: workload `spiffe:\/\/acme\.example\/agents\/billing-assistant`/);
    const locations = await definitionsAt(doc, at, 'definition of the agent principal');
    assert.equal(targetOf(locations[0]).uri.fsPath, path.join(examplesDir(), 'agents', 'billing-assistant.agent.yaml'));
  });

  it('go to declaration on a tool action opens its schema declaration', async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const at = doc.positionAt(doc.getText().indexOf('"create_refund"') + 3);
    const locations = await locationsAt('vscode.executeDeclarationProvider', doc, at, 'declaration of create_refund');
    const { uri, range } = targetOf(locations[0]);
    assert.equal(path.basename(uri.fsPath), 'agent-platform.cedarschema');
    const line = fs.readFileSync(uri.fsPath, 'utf8').split('\n')[range.start.line];
    assert.match(line, /action "create_refund"/);
  });

  it('the outline lists the policies of a file by @id', async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const symbols = await waitFor(
      async () => {
        const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
        return s?.length ? s : undefined;
      },
      LSP_TIMEOUT_MS,
      'document symbols',
    );
    assert.deepEqual(
      symbols.map((x) => x.name),
      ['billing-read-invoices', 'billing-small-refunds', 'refunds-above-limit-need-approval'],
    );
  });

  it('policies fold as whole statements', async () => {
    const file = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(file);
    const ranges = await waitFor(
      async () => {
        const r = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
        return r?.length ? r : undefined;
      },
      LSP_TIMEOUT_MS,
      'folding ranges',
    );
    const idLine = doc.positionAt(doc.getText().indexOf('@id("billing-small-refunds")')).line;
    const endLine = doc.positionAt(doc.getText().indexOf('"EUR" };') + 1).line;
    assert.ok(
      ranges.some((r) => r.start === idLine && r.end === endLine),
      `no fold ${idLine}-${endLine} in ${JSON.stringify(ranges)}`,
    );
  });
});

describe('status bar', () => {
  it('sums up agents, tools and findings, and counts a new error', async () => {
    const ext = await activateExtension();
    const api = ext.exports as { statusText(): Promise<string> };
    const text = await waitFor(
      async () => {
        const t = await api.statusText();
        return /6 agents · 13 tools/.test(t) ? t : undefined;
      },
      LSP_TIMEOUT_MS,
      'the status bar item to show 6 agents and 13 tools',
    );
    // Earlier tests may leave broken documents open: count from whatever is there now.
    const errorsIn = (t: string) => Number(/\$\(error\) (\d+)/.exec(t)?.[1] ?? 0);
    const before = errorsIn(text);
    const file = path.join(examplesDir(), 'policies', 'devops.cedar');
    const { doc } = await openFile(file);
    const original = doc.getText();
    try {
      const at = original.indexOf('permit');
      await replaceInMemory(doc, at, at + 'permit'.length, 'permti');
      const withError = await waitFor(
        async () => {
          const t = await api.statusText();
          // The broken policy, and each request test file that names it (it cannot run now).
          return errorsIn(t) > before ? t : undefined;
        },
        LSP_TIMEOUT_MS,
        'the status bar item to count the new error',
      );
      log(`status bar: ${withError}`);
    } finally {
      await restore(doc, original);
    }
  });
});
