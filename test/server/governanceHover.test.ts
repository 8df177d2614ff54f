import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspHarness } from './lspHarness';

let h: LspHarness;
beforeAll(async () => {
  h = await LspHarness.start();
});
afterAll(async () => h?.dispose());

describe('hover on a governance finding', () => {
  it('explains the rule under the cursor: why it matters, how to fix, its framework mappings, its page', async () => {
    const uri = h.uri('policies/analytics.cedar');
    const [d] = (await h.waitForDiagnostics(uri, (ds) => ds.some((x) => x.code === 'AG008'))).filter((x) => x.code === 'AG008');
    const hover = await h.client.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: d.range.start.line, character: d.range.start.character + 1 },
    });
    const md = (hover!.contents as MarkupContent).value;
    expect(md).toContain('**AG008 unconditional-permit** · warning');
    expect(md).toContain('*Why it matters:*');
    expect(md).toContain('*How to fix:*');
    expect(md).toMatch(/- OWASP-ASI-2026 ASI02 Tool Misuse and Exploitation: \S/);
    expect(md).toContain('NIST-AI-RMF MEASURE 2.7');
    expect(md).toContain('(https://github.com/agentgov/cedar-agent-governance/blob/main/docs/rules/AG008.md)');
  });

  it('says nothing about findings elsewhere in the file', async () => {
    const uri = h.uri('policies/analytics.cedar');
    const hover = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } });
    expect(JSON.stringify(hover ?? '')).not.toContain('AG008');
  });
});
