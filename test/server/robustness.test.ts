import { afterEach, describe, expect, it } from 'vitest';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
} from 'vscode-languageserver-protocol/node';
import { LspHarness, marked } from './lspHarness';

let h: LspHarness;
afterEach(async () => h?.dispose());

describe('requests the server cannot answer', () => {
  it('answer empty for positions past the end, unknown files and unknown schemes, and the server goes on', async () => {
    h = await LspHarness.start();
    const billing = h.uri('policies/billing.cedar');
    const far = { line: 9999, character: 9999 };
    const negative = { line: 0, character: 0 };
    for (const uri of [billing, h.uri('policies/missing.cedar'), 'untitled:nothing', 'vscode-notebook-cell:/x#y']) {
      for (const position of [far, negative]) {
        const td = { textDocument: { uri }, position };
        expect(await h.client.sendRequest(HoverRequest.type, td)).toBeNull();
        const items = await h.client.sendRequest(CompletionRequest.type, td);
        expect(items === null || Array.isArray(items)).toBe(true);
        expect((await h.client.sendRequest(DefinitionRequest.type, td)) ?? []).toEqual([]);
      }
      expect(
        await h.client.sendRequest(DocumentFormattingRequest.type, {
          textDocument: { uri },
          options: { tabSize: 2, insertSpaces: true },
        }),
      ).toEqual([]);
      await h.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    }
    expect(h.logs.filter((l) => l.includes('failed'))).toEqual([]);
    const m = marked('permit (principal, action, resource) when { 1 + |}|;');
    const uri = await h.open('policies/after.cedar', m.text);
    expect((await h.waitForDiagnostics(uri, (d) => d.length > 0))[0].range).toEqual({
      start: m.positions[0],
      end: m.positions[1],
    });
  });

  it('a document closed while its check is pending ends with no diagnostics', async () => {
    h = await LspHarness.start({ settings: { diagnosticsDelay: 50 } });
    const text = 'permit (principal, action, resource) when { 1 + };';
    const uri = await h.open('policies/unsaved.cedar', text);
    await h.waitForDiagnostics(uri, (d) => d.length === 1);
    await h.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }]);
    await h.close(uri);
    await h.waitForDiagnostics(uri, (d) => d.length === 0);
    // Whatever the pending check published, the clear came last.
    await h.server!.idle();
    expect(h.latest(uri)?.diagnostics).toEqual([]);
  });
});
