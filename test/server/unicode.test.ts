import { afterEach, describe, expect, it } from 'vitest';
import { LspHarness, marked } from './lspHarness';

let h: LspHarness;
afterEach(async () => h?.dispose());

// Cedar reports UTF-8 byte offsets; LSP positions count UTF-16 code units. "ü" is 2 bytes and
// 1 unit, "🔥" is 4 bytes and 2 units, so any byte/unit mix-up moves these ranges.
describe('non-ASCII text before an error', () => {
  it('puts a parse error after "Zürich 🔥" on the same line at its exact UTF-16 range', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const m = marked(`// Zürich 🔥 office: refunds in francs
@id("zurich")
permit (principal, action == Platform::Action::"create_refund", resource)
when { context.input.currency == "Zürich 🔥" && 1 + |}|;
`);
    const uri = await h.open('policies/zurich.cedar', m.text);
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ code: 'cedar-parse', range: { start: m.positions[0], end: m.positions[1] } })]);
  });

  it('puts a validation error after non-ASCII text, in a later policy of the file, at its exact range', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const m = marked(`// Zürich 🔥
@id("first")
permit (principal, action == Platform::Action::"get_invoice", resource)
when { context.input.invoiceId == "🔥🔥🔥" };

@id("second")
permit (principal, action == Platform::Action::"create_refund", resource)
when { context.input.currency == "Zürich 🔥" && |context.input.amout| > 1 };
`);
    const uri = await h.open('policies/zurich.cedar', m.text);
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d).toEqual([
      expect.objectContaining({ code: 'cedar-validation', range: { start: m.positions[0], end: m.positions[1] } }),
    ]);
  });

  it('counts CRLF line ends as one line break', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const m = marked('// Zürich 🔥\r\n@id("crlf")\r\npermit (principal, action, resource)\r\nwhen { "🔥" == "x" && 1 + |}|;\r\n');
    const uri = await h.open('policies/crlf.cedar', m.text);
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(m.positions[0]).toEqual({ line: 3, character: m.text.split('\r\n')[3].indexOf('}') });
    expect(d).toEqual([expect.objectContaining({ code: 'cedar-parse', range: { start: m.positions[0], end: m.positions[1] } })]);
  });
});
