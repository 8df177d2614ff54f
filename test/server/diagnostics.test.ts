import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangeType, TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { LspHarness, markedRange, rangeOf } from './lspHarness';

const REFUND = `@id("refund-limit")
permit (
  principal == Platform::Agent::"billing-assistant",
  action == Platform::Action::"create_refund",
  resource == Platform::McpServer::"payments"
)
when { context.input.amount <= 500 };
`;

let h: LspHarness;
afterEach(async () => h?.dispose());

const isEmpty = (d: unknown[]) => d.length === 0;

describe('initialize and workspace scan', () => {
  it('announces the features the server implements', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const caps = h.initializeResult.capabilities;
    expect(caps.textDocumentSync).toBe(TextDocumentSyncKind.Incremental);
    expect(caps).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
    });
    expect(caps.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining(['.', ':', '"']));
    expect(h.initializeResult.serverInfo?.name).toBe('agentgov');
  });

  it('publishes diagnostics for files that are not open, after the scan', async () => {
    const broken = markedRange('@id("x")\npermit (principal, action, resource) when { 1 + |}|;\n');
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/broken.cedar': broken.text } });
    const d = await h.waitForDiagnostics(h.uri('policies/broken.cedar'), (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ range: broken.range, severity: 1, source: 'agentgov', code: 'cedar-parse' })]);
    expect(d[0].message).toContain('unexpected token `}`');
    expect(h.latest(h.uri('policies/broken.cedar'))?.version).toBeUndefined();
    // The clean example files are checked too, and come out clean.
    for (const f of ['policies/billing.cedar', 'policies/devops.cedar', 'policies/support.cedar', 'agent-platform.cedarschema']) {
      await h.waitForDiagnostics(h.uri(f), isEmpty);
    }
  });
});

describe('open documents', () => {
  it('reports a parse error at its exact range after an incremental edit', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const uri = await h.open('policies/refund.cedar', REFUND);
    await h.waitForDiagnostics(uri, (d, p) => p.version === 1 && isEmpty(d));
    const version = await h.change(uri, [{ range: rangeOf(REFUND, '500'), text: '' }]);
    const expected = markedRange(REFUND.replace('<= 500 }', '<=  |}|'));
    const d = await h.waitForDiagnostics(uri, (_, p) => p.version === version);
    expect(d).toEqual([expect.objectContaining({ range: expected.range, severity: 1, code: 'cedar-parse', source: 'agentgov' })]);
    expect(d[0].message).toMatch(/unexpected token `\}`/);
  });

  it('explains a misspelled context attribute with a "did you mean" help', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const uri = await h.open('policies/refund.cedar', REFUND);
    await h.waitForDiagnostics(uri, (d, p) => p.version === 1 && isEmpty(d));
    const version = await h.change(uri, [{ range: rangeOf(REFUND, 'amount'), text: 'amout' }]);
    const text = REFUND.replace('amount', 'amout');
    const d = await h.waitForDiagnostics(uri, (_, p) => p.version === version);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ range: rangeOf(text, 'context.input.amout'), severity: 1, code: 'cedar-validation' });
    expect(d[0].message).toMatch(/`input\.amout`.*not found\nHelp: .*`amount`/s);
  });

  it('does not name the internal id it gave the policy in a parse error', async () => {
    // The parse check hands Cedar each statement under an id of its own: that id must not reach the user.
    h = await LspHarness.start({ withoutGovernance: true });
    const uri = await h.open('policies/refund.cedar', REFUND.replace('500', ''));
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d[0].message).not.toMatch(/with id `/);
    expect(d[0].message).toMatch(/^unexpected token `\}`/);
  });

  it('falls back to the disk text on didClose, and clears a document that was never saved', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const billing = h.uri('policies/billing.cedar');
    const disk = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    await h.waitForDiagnostics(billing, isEmpty);
    await h.open('policies/billing.cedar', disk.replace('<= 500', '<='));
    await h.waitForDiagnostics(billing, (d) => d.length > 0);
    await h.close(billing);
    await h.waitForNextDiagnostics(billing, isEmpty);

    const scratch = await h.open('policies/scratch.cedar', 'permit (principal, action, resource) when { 1 + };');
    await h.waitForDiagnostics(scratch, (d) => d.length === 1);
    await h.close(scratch);
    await h.waitForNextDiagnostics(scratch, isEmpty);
  });

  it('checks untitled (non-file) documents by their language', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const uri = 'untitled:Untitled-1';
    const text = markedRange('permit (principal, action, resource) when { 1 + |}|;');
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'cedar', version: 1, text: text.text },
    });
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d[0]).toMatchObject({ range: text.range, code: 'cedar-parse' });
  });
});

describe('files changed on disk', () => {
  it('follows workspace/didChangeWatchedFiles: created, changed, deleted', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    await h.waitForDiagnostics(h.uri('policies/billing.cedar'), isEmpty);

    const created = markedRange('permit (principal, action, resource) when { 1 + |}|;\n');
    const uri = h.write('policies/new.cedar', created.text);
    await h.watched([{ uri, type: FileChangeType.Created }]);
    expect(await h.waitForDiagnostics(uri, (d) => d.length > 0)).toEqual([
      expect.objectContaining({ range: created.range, code: 'cedar-parse' }),
    ]);

    const changed = markedRange('@id("new")\npermit (principal, action, resource) when { |context.input.nope| };\n');
    h.write('policies/new.cedar', changed.text);
    await h.watched([{ uri, type: FileChangeType.Changed }]);
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0 && d.every((x) => x.code === 'cedar-validation'));
    for (const x of d) expect(x.range).toEqual(changed.range);

    rmSync(h.path('policies/new.cedar'));
    await h.watched([{ uri, type: FileChangeType.Deleted }]);
    await h.waitForDiagnostics(uri, isEmpty);
  });

  it('follows a folder created or deleted on disk as one event', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    await h.waitForDiagnostics(h.uri('policies/billing.cedar'), isEmpty);
    const broken = markedRange('permit (principal, action, resource) when { 1 + |}|;\n');
    const uri = h.write('policies/team-a/broken.cedar', broken.text);
    // A folder moved or checked out in one go is reported as the folder alone.
    await h.watched([{ uri: h.uri('policies/team-a'), type: FileChangeType.Created }]);
    expect(await h.waitForDiagnostics(uri, (d) => d.length > 0)).toEqual([
      expect.objectContaining({ range: broken.range, code: 'cedar-parse' }),
    ]);

    rmSync(h.path('policies/team-a'), { recursive: true });
    await h.watched([{ uri: h.uri('policies/team-a'), type: FileChangeType.Deleted }]);
    await h.waitForDiagnostics(uri, isEmpty);
  });
});
