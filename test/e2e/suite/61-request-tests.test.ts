// Request tests (issue 10, SPEC §7) in the real workbench's Test Explorer: the example test files
// as items, a test file created at runtime run by clicking its run button (a pass and a
// deliberate failure with expected vs actual), policy coverage through the Coverage profile, a
// re-run when a policy changes, and untested policies marked in the editor.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  examplesDir,
  log,
  openFile,
  replaceInMemory,
  requestScreenshot,
  restore,
  waitFor,
} from './helpers';

/** What the extension's API tells about request tests (client/src/tests/index.ts). */
interface RunRecord {
  id: number;
  trigger: 'explorer' | 'change';
  coverage: boolean;
  results: {
    id: string;
    state: string;
    message?: string;
    expected?: string;
    actual?: string;
    location?: { uri: string; line: number };
  }[];
  coverageFiles?: { uri: string; statements: [number, number]; declarations: [number, number] }[];
}
interface RequestTestsApi {
  refresh(): Promise<void>;
  items(): { id: string; label: string; error?: string; children: { id: string; label: string; line?: number }[] }[];
  item(id: string): vscode.TestItem | undefined;
  runs(): RunRecord[];
  untested(): Promise<{ uri: string; id: string }[]>;
}

const FILE_NAME = 'e2e-request-tests.cedartests.json';
const TEST_FILE = `// Made by the end-to-end suite, deleted when it ends.
{
  "policies": "policies/billing.cedar",
  "entities": "platform.cedarentities.json",
  "schema": "agent-platform.cedarschema",
  "requests": [
    {
      "description": "billing reads an invoice",
      "principal": { "type": "Platform::Agent", "id": "billing-assistant" },
      "action": { "type": "Platform::Action", "id": "get_invoice" },
      "resource": { "type": "Platform::McpServer", "id": "payments" },
      "context": { "input": { "invoiceId": "INV-42" } },
      "decision": "allow",
      "reason": ["billing-read-invoices"]
    },
    {
      "description": "a refund of 9000 EUR is allowed (deliberately wrong)",
      "principal": { "type": "Platform::Agent", "id": "billing-assistant" },
      "action": { "type": "Platform::Action", "id": "create_refund" },
      "resource": { "type": "Platform::McpServer", "id": "payments" },
      "context": { "input": { "invoiceId": "INV-42", "amount": 9000, "currency": "EUR" } },
      "decision": "allow",
      "reason": ["billing-small-refunds"]
    }
  ]
}
`;

async function testsApi(): Promise<RequestTestsApi> {
  const ext = await activateExtension();
  const api = (ext.exports as { ready: Promise<void>; requestTests?: RequestTestsApi }) ?? {};
  assert.ok(api.requestTests, 'the extension API has no requestTests');
  await api.ready;
  return api.requestTests;
}

/** The first run after `after` (a run id) that `match` accepts. */
function nextRun(api: RequestTestsApi, after: number, match: (r: RunRecord) => boolean, what: string): Promise<RunRecord> {
  return waitFor(() => api.runs().find((r) => r.id > after && match(r)), LSP_TIMEOUT_MS * 2, what, 100);
}

const lastRunId = (api: RequestTestsApi) => api.runs().at(-1)?.id ?? 0;

/** A result of the examples' own test files (not of one a test made). */
const examples = (r: { id: string }) => !r.id.includes(FILE_NAME);

describe('request tests', function () {
  this.timeout(180_000);
  let api: RequestTestsApi;
  const file = () => path.join(examplesDir(), 'tests', FILE_NAME);

  before(async () => {
    api = await testsApi();
  });

  it('the Testing view lists the example test files, each request an item at its line', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    const files = await waitFor(
      () => {
        const items = api.items();
        const billing = items.find((f) => f.label === 'tests/billing.cedartests.json');
        const deploy = items.find((f) => f.label === 'tests/deploy.cedartests.json');
        return billing?.children.length === 5 && deploy?.children.length === 5 ? { billing, deploy } : undefined;
      },
      LSP_TIMEOUT_MS,
      'the example test files as items',
    );
    assert.equal(files.billing.children[0].label, 'reads an invoice by its id');
    assert.equal(files.billing.children[0].line, 8);
    // deploy.cedartests.json asks for validation too: one more item.
    assert.deepEqual(
      files.deploy.children.map((c) => c.label),
      [
        'reads a day of logs',
        'deploys to staging',
        'deploys to production only with an approval',
        'deploys to production with a granted approval',
        'shouldValidate',
      ],
    );
  });

  it('runs a new test file from its run button: a pass, and a failure with expected vs actual', async () => {
    const uri = vscode.Uri.file(file());
    await vscode.workspace.fs.writeFile(uri, Buffer.from(TEST_FILE));
    try {
      const item = await waitFor(
        () => api.items().find((f) => f.id === uri.toString() && f.children.length === 2),
        LSP_TIMEOUT_MS,
        'the new test file and its two requests as items',
      );
      assert.deepEqual(
        item.children.map((c) => c.label),
        ['billing reads an invoice', 'a refund of 9000 EUR is allowed (deliberately wrong)'],
      );
      // The file in an editor, as a person opens it (the failure's peek opens there); not held
      // by this extension host, so closing the editor closes the document and the server forgets it.
      await vscode.commands.executeCommand('vscode.open', uri);
      await vscode.commands.executeCommand('workbench.view.testing.focus');
      const before = lastRunId(api);
      // A person's click: on the file's row (the pointer stays on it, so its buttons show), then on its ▶.
      const row = `.test-explorer .monaco-list-row:has-text("${FILE_NAME}")`;
      const picked = await requestScreenshot('request-tests-explorer', row, { click: { selector: row } });
      assert.ok(picked, 'no screenshot taker: the Test Explorer cannot be clicked');
      const run = await requestScreenshot('request-tests-run-button', `${row} .codicon-testing-run-icon`, {
        click: { selector: `${row} .codicon-testing-run-icon` },
      });
      assert.ok(run && run.clicked, 'the run button of the test file was not clicked');
      const record = await nextRun(
        api,
        before,
        (r) => r.trigger === 'explorer' && r.results.some((x) => x.id.startsWith(uri.toString())),
        'the run started by the click',
      );
      const byLabel = (i: number) => record.results.find((r) => r.id === `${uri.toString()}#${i}`);
      assert.equal(byLabel(0)?.state, 'passed', JSON.stringify(record.results));
      const failed = byLabel(1);
      assert.equal(failed?.state, 'failed', JSON.stringify(record.results));
      log(`failure: ${failed?.message}`);
      assert.match(failed!.message!, /Expected "allow", Cedar decided "deny" \(determining: refunds-above-limit-need-approval\)/);
      assert.equal(failed!.expected, 'allow\nreason: billing-small-refunds');
      assert.equal(failed!.actual, 'deny\nreason: refunds-above-limit-need-approval');
      assert.equal(failed!.location?.line, TEST_FILE.split('\n').findIndex((l) => l.includes('a refund of 9000')) - 1);
      // The explorer shows the failure; its message with the diff opens in the file's peek.
      const explorer = await requestScreenshot('request-tests-explorer-after', '.test-explorer .codicon-testing-failed-icon', {
        captureText: '.test-explorer .monaco-list-row',
      });
      if (explorer) log(`explorer rows: ${explorer.text}`);
      await vscode.commands.executeCommand('testing.openOutputPeek');
      const peek = await requestScreenshot('request-tests-failure', '.peekview-widget .monaco-diff-editor, .peekview-widget', {
        captureText: '.peekview-widget',
      });
      if (peek) {
        log(`peek: ${(peek.text ?? '').slice(0, 400)}`);
        assert.match(peek.text ?? '', /Cedar decided "deny"/);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
    await waitFor(
      () => !api.items().some((f) => f.id === uri.toString()),
      LSP_TIMEOUT_MS,
      'the deleted file to go from the explorer',
    );
  });

  it('the Coverage profile shows which policies the tests exercise, every policy file included', async () => {
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    const before = lastRunId(api);
    const button = '.pane-header .codicon-testing-coverage-all-icon, .title-actions .codicon-testing-coverage-all-icon';
    const clicked = await requestScreenshot('request-tests-coverage-button', button, { click: { selector: button } });
    if (!clicked) await vscode.commands.executeCommand('testing.coverageAll');
    const record = await nextRun(api, before, (r) => r.coverage && r.trigger === 'explorer', 'the coverage run');
    const of = (name: string) => record.coverageFiles?.find((f) => f.uri.endsWith(`/policies/${name}`));
    assert.deepEqual(of('billing.cedar')?.statements, [3, 3], JSON.stringify(record.coverageFiles));
    assert.deepEqual(of('devops.cedar')?.declarations, [3, 3]);
    // No test names ops.cedar: it is in the report, all uncovered.
    assert.equal(of('ops.cedar')?.statements[0], 0);
    assert.ok((of('ops.cedar')?.statements[1] ?? 0) > 0);
    // The policy file with the editor's coverage decorations, and the Test Coverage view.
    await openFile(path.join(examplesDir(), 'policies', 'billing.cedar'));
    const shot = await requestScreenshot(
      'request-tests-coverage',
      '.test-coverage-list-item, .coverage-deco-gutter, .monaco-editor',
      {
        captureText: '.test-coverage-list-item',
      },
    );
    if (shot) log(`coverage view: ${shot.text}`);
    await vscode.commands.executeCommand('testing.coverage.close');
  });

  it('re-runs the last run when a policy changes, and marks the untested policies', async () => {
    const policy = path.join(examplesDir(), 'policies', 'billing.cedar');
    const { doc } = await openFile(policy);
    const original = doc.getText();
    const before = lastRunId(api);
    try {
      const at = original.indexOf('amount <= 500');
      assert.ok(at >= 0, 'billing.cedar has the small-refund limit');
      await replaceInMemory(doc, at, at + 'amount <= 500'.length, 'amount <= 50');
      const changed = await nextRun(
        api,
        before,
        (r) => r.trigger === 'change' && r.results.filter(examples).some((x) => x.state === 'failed'),
        'a re-run after the policy edit, with a failure',
      );
      const failing = changed.results.filter((r) => r.state === 'failed').map((r) => r.id);
      log(`re-run ${changed.id}: failing ${failing.join(', ')}`);
      assert.ok(
        failing.some((id) => id.endsWith('tests/billing.cedartests.json#1')),
        failing.join(', '),
      );
      // No request satisfies the stricter limit: the policy is marked untested now.
      await waitFor(
        async () => (await api.untested()).some((p) => p.id === 'billing-small-refunds'),
        LSP_TIMEOUT_MS,
        'billing-small-refunds marked untested while no request satisfies it',
      );
    } finally {
      await restore(doc, original);
    }
    await nextRun(
      api,
      before,
      (r) => r.trigger === 'change' && r.results.length > 0 && r.results.filter(examples).every((x) => x.state === 'passed'),
      'a re-run after the edit is undone, all passing',
    );
    const untested = await waitFor(
      async () => {
        const list = await api.untested();
        const tested = !list.some((p) => p.id === 'billing-small-refunds');
        return tested && list.some((p) => p.id === 'ops-restart') ? list : undefined;
      },
      LSP_TIMEOUT_MS,
      'ops-restart marked as untested, billing-small-refunds tested again',
    );
    const ops = path.join(examplesDir(), 'policies', 'ops.cedar');
    const { editor } = await openFile(ops);
    const line = untested.find((p) => p.id === 'ops-restart' && p.uri.endsWith('/ops.cedar'));
    assert.ok(line, JSON.stringify(untested));
    editor!.selection = new vscode.Selection(0, 0, 0, 0);
    await requestScreenshot('request-tests-untested', '.monaco-editor .view-lines');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  it('the Source Action on a policy writes tests of its decisions, which pass in the explorer', async () => {
    const policy = path.join(examplesDir(), 'policies', 'devops.cedar');
    const generated = vscode.Uri.file(path.join(examplesDir(), 'policies', 'devops.cedartests.json'));
    const { doc, editor } = await openFile(policy);
    const at = doc.getText().indexOf('devops-deploy-production');
    assert.ok(at > 0, 'devops.cedar has devops-deploy-production');
    const pos = doc.positionAt(at + 2);
    editor!.selection = new vscode.Selection(pos, pos);
    const before = lastRunId(api);
    try {
      // As a person does: Source Action… in the editor, then the action picked in its menu.
      await waitFor(
        async () => {
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            new vscode.Range(pos, pos),
            vscode.CodeActionKind.Source.value,
          );
          return (actions ?? []).some((a) => a.title.startsWith('Generate request tests'));
        },
        LSP_TIMEOUT_MS,
        'the generate Source Action',
        250,
      );
      await vscode.commands.executeCommand('editor.action.sourceAction');
      const menu = await requestScreenshot('request-tests-generate-menu', '.action-widget .monaco-list-row', {
        captureText: '.action-widget .monaco-list-row',
        click: { selector: '.action-widget .monaco-list-row', hasText: 'Generate request tests' },
      });
      assert.ok(menu, 'no screenshot taker: the Source Action cannot be picked');
      assert.match(menu.text ?? '', /Generate request tests from today's decisions of policy "devops-deploy-production"/);
      const item = await waitFor(
        () => api.items().find((f) => f.id === generated.toString() && f.children.length === 2),
        LSP_TIMEOUT_MS,
        'the generated file and its two requests in the explorer',
      );
      assert.deepEqual(
        item.children.map((c) => c.label),
        ['deploy-bot calls ci/deploy_service without an approval', 'deploy-bot calls ci/deploy_service with an approval granted'],
      );
      // The file appeared: the re-run takes it in, and it passes today.
      const run = await nextRun(
        api,
        before,
        (r) => r.results.filter((x) => x.id.startsWith(generated.toString())).length === 2,
        'a run of the generated tests',
      );
      assert.deepEqual(
        run.results.filter((x) => x.id.startsWith(generated.toString())).map((x) => x.state),
        ['passed', 'passed'],
      );
      await requestScreenshot('request-tests-generated', '.monaco-editor .view-lines');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(generated).then(undefined, () => undefined);
    }
    await waitFor(
      () => !api.items().some((f) => f.id === generated.toString()),
      LSP_TIMEOUT_MS,
      'the generated file to go from the explorer',
    );
  });
});
