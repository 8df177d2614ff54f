import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeAction, CodeActionRequest, FileChangeType } from 'vscode-languageserver-protocol/node';
import {
  GENERATE_REQUEST_TESTS_COMMAND,
  GenerateRequestTestsRequest,
  RequestTestFilesRequest,
  RequestTestsChangedNotification,
  type RequestTestsChangedParams,
  RunRequestTestsRequest,
  UntestedPoliciesRequest,
} from '../../server/src/protocol';
import { LspHarness, rangeOf } from './lspHarness';

/*
 * The request tests' protocol (the Test Explorer's data): the test files and their requests with
 * ranges, runs with expected vs actual and policy coverage, the notification that something tests
 * read changed, untested policies, and tests generated from today's decisions.
 */

const FAILING = `{
  "policies": "policies/billing.cedar",
  "entities": "platform.cedarentities.json",
  "schema": "agent-platform.cedarschema",
  "requests": [
    {
      "description": "reads an invoice",
      "principal": { "type": "Platform::Agent", "id": "billing-assistant" },
      "action": { "type": "Platform::Action", "id": "get_invoice" },
      "resource": { "type": "Platform::McpServer", "id": "payments" },
      "context": { "input": { "invoiceId": "INV-7" } },
      "decision": "allow"
    },
    {
      "description": "a big refund is allowed (it is not)",
      "principal": { "type": "Platform::Agent", "id": "billing-assistant" },
      "action": { "type": "Platform::Action", "id": "create_refund" },
      "resource": { "type": "Platform::McpServer", "id": "payments" },
      "context": { "input": { "invoiceId": "INV-7", "amount": 9000, "currency": "EUR" } },
      "decision": "allow",
      "reason": ["billing-small-refunds"]
    }
  ]
}
`;

describe('request tests over the protocol', () => {
  let h: LspHarness;
  const changed: string[][] = [];
  beforeAll(async () => {
    h = await LspHarness.start({ files: { 'tests/e2e.cedartests.json': FAILING } });
    h.client.onNotification(RequestTestsChangedNotification.method, (p: RequestTestsChangedParams) => void changed.push(p.uris));
  });
  afterAll(async () => h?.dispose());

  it('lists the test files with each request at its range, and the shouldValidate item', async () => {
    const { files } = await h.client.sendRequest(RequestTestFilesRequest);
    expect(files.map((f) => f.label)).toEqual([
      'tests/billing.cedartests.json',
      'tests/deploy.cedartests.json',
      'tests/e2e.cedartests.json',
    ]);
    const e2e = files[2];
    expect(e2e.uri).toBe(h.uri('tests/e2e.cedartests.json'));
    expect(e2e.requests.map((r) => [r.index, r.description, r.range.start.line])).toEqual([
      [0, 'reads an invoice', rangeOf(FAILING, '{\n      "description": "reads').start.line],
      [1, 'a big refund is allowed (it is not)', rangeOf(FAILING, '{\n      "description": "a big').start.line],
    ]);
    expect(e2e.validation).toBeUndefined();
    expect(files[1].validation).toMatchObject({ start: { line: 6 } });
  });

  it('runs a file: a pass, and a failure with expected vs actual at the request', async () => {
    const uri = h.uri('tests/e2e.cedartests.json');
    const answer = await h.client.sendRequest(RunRequestTestsRequest, { files: [{ uri }] });
    expect(answer.coverage).toBeUndefined();
    const [file] = answer.files;
    expect(file.uri).toBe(uri);
    expect(file.results.map((r) => [r.kind, r.passed])).toEqual([
      ['request', true],
      ['request', false],
    ]);
    expect(file.results[1]).toMatchObject({
      index: 1,
      expected: { decision: 'allow', reason: ['billing-small-refunds'] },
      actual: { decision: 'deny', reason: ['refunds-above-limit-need-approval'] },
      mismatches: ['decision', 'reason'],
      range: { start: { line: rangeOf(FAILING, '{\n      "description": "a big').start.line } },
    });
    const one = await h.client.sendRequest(RunRequestTestsRequest, { files: [{ uri, only: [0] }] });
    expect(one.files[0].results.map((r) => r.kind === 'request' && r.index)).toEqual([0]);
  });

  it('with coverage: every policy file of the workspace, those no test names at zero', async () => {
    const answer = await h.client.sendRequest(RunRequestTestsRequest, { coverage: true });
    expect(answer.files).toHaveLength(3);
    const files = answer.coverage!.map((f) => f.uri.slice(h.uri('').length + 1));
    expect(files).toEqual([
      'policies/analytics.cedar',
      'policies/billing.cedar',
      'policies/devops.cedar',
      'policies/ops.cedar',
      'policies/research.cedar',
      'policies/support.cedar',
    ]);
    const billing = answer.coverage![1].policies;
    expect(billing.map((p) => [p.id, p.effect, p.determining > 0, p.satisfied > 0])).toEqual([
      ['billing-read-invoices', 'permit', true, true],
      ['billing-small-refunds', 'permit', true, true],
      ['refunds-above-limit-need-approval', 'forbid', true, true],
    ]);
    expect(answer.coverage![0].policies.every((p) => p.determining === 0 && p.satisfied === 0)).toBe(true);
  });

  it('untested policies: those of the files no test reaches', async () => {
    const { policies } = await h.client.sendRequest(UntestedPoliciesRequest);
    const ids = policies.map((p) => p.id);
    expect(ids).toContain('ops-restart');
    expect(ids).not.toContain('billing-small-refunds');
    expect(policies.find((p) => p.id === 'ops-restart')).toMatchObject({ uri: h.uri('policies/ops.cedar'), effect: 'permit' });
  });

  it('tells the client when a policy or a test file changes', async () => {
    changed.length = 0;
    const policy = h.uri('policies/billing.cedar');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    await h.open('policies/billing.cedar', text);
    await h.server!.idle();
    // Opening a file changes nothing tests read: nothing is said (the Test Explorer would re-run for nothing).
    expect(changed.flat()).not.toContain(policy);
    await h.change(policy, [{ text: text.replace('amount <= 500', 'amount <= 50') }]);
    await expect.poll(() => changed.flat(), { timeout: 5000 }).toContain(policy);
    // Now the small refund of 120 of billing.cedartests.json fails.
    const answer = await h.client.sendRequest(RunRequestTestsRequest, {
      files: [{ uri: h.uri('tests/billing.cedartests.json') }],
    });
    expect(answer.files[0].results.filter((r) => !r.passed).map((r) => r.description)).toEqual(['refunds a small amount in EUR']);
    await h.close(policy);
    changed.length = 0;
    const created = h.write('tests/later.cedartests.json', FAILING);
    await h.watched([{ uri: created, type: FileChangeType.Created }]);
    await expect.poll(() => changed.flat(), { timeout: 5000 }).toContain(created);
    const { files } = await h.client.sendRequest(RequestTestFilesRequest);
    expect(files.map((f) => f.label)).toContain('tests/later.cedartests.json');
  });

  it('offers the generate action on a policy as a Source Action only', async () => {
    const uri = h.uri('policies/devops.cedar');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(h.path('policies/devops.cedar'), 'utf8');
    const at = rangeOf(text, 'devops-deploy-production');
    const ask = async (only?: string[]) =>
      ((await h.client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: at,
        context: { diagnostics: [], ...(only ? { only } : {}) },
      })) ?? []) as CodeAction[];
    expect((await ask()).map((a) => a.title)).toEqual([]);
    const [action] = await ask(['source']);
    expect(action).toMatchObject({
      title: `Generate request tests from today's decisions of policy "devops-deploy-production"`,
      kind: 'source.generateRequestTests',
      command: { command: GENERATE_REQUEST_TESTS_COMMAND, arguments: [uri, 'devops-deploy-production'] },
    });
    expect(h.initializeResult.capabilities.codeActionProvider).toMatchObject({
      codeActionKinds: expect.arrayContaining(['quickfix', 'source.generateRequestTests']),
    });
  });

  it('generates the tests of a policy: a new file next to it that passes when written', async () => {
    const uri = h.uri('policies/devops.cedar');
    const answer = await h.client.sendRequest(GenerateRequestTestsRequest, { uri, policy: 'devops-deploy-production' });
    expect(answer.pairs).toBe(1);
    expect(answer.files.map((f) => [f.uri, f.created, f.added])).toEqual([[h.uri('policies/devops.cedartests.json'), true, 2]]);
    const written = h.write('policies/devops.cedartests.json', answer.files[0].text);
    await h.watched([{ uri: written, type: FileChangeType.Created }]);
    const run = await h.client.sendRequest(RunRequestTestsRequest, { files: [{ uri: written }] });
    expect(run.files[0].results.map((r) => [r.description, r.passed])).toEqual([
      ['deploy-bot calls ci/deploy_service without an approval', true],
      ['deploy-bot calls ci/deploy_service with an approval granted', true],
    ]);
    const workspace = await h.client.sendRequest(GenerateRequestTestsRequest, {});
    expect(workspace.files.map((f) => f.uri)).toEqual([h.uri('agent-access.cedartests.json')]);
    expect(workspace.pairs).toBe(12);
  });
});
