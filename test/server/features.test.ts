import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompletionRequest,
  DeclarationRequest,
  DefinitionRequest,
  type DocumentSymbol,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  type Location,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LspHarness, marked, positionAt, rangeOf } from './lspHarness';

let h: LspHarness;
let billingText: string;
let schemaText: string;
beforeAll(async () => {
  h = await LspHarness.start();
  billingText = readFileSync(h.path('policies/billing.cedar'), 'utf8');
  schemaText = readFileSync(h.path('agent-platform.cedarschema'), 'utf8');
});
afterAll(async () => h?.dispose());

/** Position inside the `n`-th occurrence of `needle`, `at` characters into it. */
function inside(text: string, needle: string, at = 1, n = 0) {
  return { ...rangeOf(text, needle, n).start, character: rangeOf(text, needle, n).start.character + at };
}

function hoverAt(uri: string, position: { line: number; character: number }) {
  return h.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
}

/** Applies LSP edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const offsetOf = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  for (const e of sorted) text = text.slice(0, offsetOf(e.range.start)) + e.newText + text.slice(offsetOf(e.range.end));
  return text;
}

describe('formatting', () => {
  it('returns an edit that produces Cedar-formatted text', async () => {
    const messy =
      '@id("messy")\npermit(principal==Platform::Agent::"a",action==Platform::Action::"get_invoice",resource)when{context.input.invoiceId=="1"};\n';
    const uri = await h.open('policies/messy.cedar', messy);
    const edits = (await h.client.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    }))!;
    expect(edits.length).toBeGreaterThan(0);
    const formatted = applyEdits(messy, edits);
    expect(formatted).toBe(`@id("messy")
permit (
  principal == Platform::Agent::"a",
  action == Platform::Action::"get_invoice",
  resource
)
when { context.input.invoiceId == "1" };
`);
    // Already formatted: nothing to do.
    const again = await h.open('policies/formatted.cedar', formatted);
    expect(
      await h.client.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri: again },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toEqual([]);
  });

  it('leaves a file that does not parse alone', async () => {
    const uri = await h.open('policies/unparsable.cedar', 'permit (principal, action, resource) when { 1 + };');
    expect(
      await h.client.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toEqual([]);
  });
});

describe('hover', () => {
  it('describes an entity type', async () => {
    const hover = (await hoverAt(h.uri('policies/billing.cedar'), inside(billingText, 'Platform::Agent', 12)))!;
    // Written as an entity literal, the hover covers the whole literal.
    expect(hover.range).toEqual(rangeOf(billingText, 'Platform::Agent::"billing-assistant"'));
    const md = (hover.contents as MarkupContent).value;
    expect((hover.contents as MarkupContent).kind).toBe('markdown');
    expect(md).toContain('Platform::Agent');
    expect(md).toContain('An AI agent with its own workload identity');
  });

  it('describes an action', async () => {
    const hover = (await hoverAt(h.uri('policies/billing.cedar'), inside(billingText, 'Platform::Action::"create_refund"', 22)))!;
    const md = (hover.contents as MarkupContent).value;
    expect(md).toContain('create_refund');
    expect(md).toContain('amount');
    expect(md).toMatch(/agent-platform\.cedarschema:\d+/);
  });

  it('gives the type of a context attribute', async () => {
    const hover = (await hoverAt(h.uri('policies/billing.cedar'), inside(billingText, 'context.input.amount', 16)))!;
    const at = billingText.indexOf('context.input.amount') + 'context.input.'.length;
    expect(hover.range).toEqual({ start: positionAt(billingText, at), end: positionAt(billingText, at + 'amount'.length) });
    expect((hover.contents as MarkupContent).value).toMatch(/amount: Long/);
  });

  it('answers null away from anything it knows', async () => {
    expect(await hoverAt(h.uri('policies/billing.cedar'), { line: 0, character: 3 })).toBeNull();
  });
});

describe('completion', () => {
  it('offers the input fields of the action in scope after `context.input.`', async () => {
    const m = marked(
      '@id("c")\npermit (principal, action == Platform::Action::"create_refund", resource)\nwhen { context.input.| };\n',
    );
    const uri = await h.open('policies/complete-input.cedar', m.text);
    const items = await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: m.positions[0] });
    const list = Array.isArray(items) ? items : items!.items;
    expect(list.map((i) => i.label).sort()).toEqual(['amount', 'currency', 'invoiceId', 'reason']);
    const amount = list.find((i) => i.label === 'amount')!;
    expect(amount.detail).toBe('Long');
    expect(amount.textEdit).toEqual({ range: { start: m.positions[0], end: m.positions[0] }, newText: 'amount' });
  });

  it('offers quoted action ids after `Platform::Action::`', async () => {
    const m = marked('permit (principal, action == Platform::Action::|, resource);\n');
    const uri = await h.open('policies/complete-action.cedar', m.text);
    const items = await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: m.positions[0] });
    const list = Array.isArray(items) ? items : items!.items;
    expect(list.map((i) => i.label)).toEqual(
      expect.arrayContaining([
        '"get_invoice"',
        '"create_refund"',
        '"search_tickets"',
        '"reply_to_ticket"',
        '"read_logs"',
        '"deploy_service"',
        '"ReadOnlyTools"',
        '"PaymentTools"',
      ]),
    );
    expect(list.every((i) => i.label.startsWith('"'))).toBe(true);
  });
});

describe('definition and symbols', () => {
  it('goes from `Platform::Agent` to the `Agent` declaration in the schema', async () => {
    const locations = (await h.client.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: h.uri('policies/billing.cedar') },
      position: inside(billingText, 'Platform::Agent', 11),
    })) as Location[];
    const agentAt = schemaText.indexOf('entity Agent') + 'entity '.length;
    expect(locations).toEqual([
      {
        uri: h.uri('agent-platform.cedarschema'),
        range: { start: positionAt(schemaText, agentAt), end: positionAt(schemaText, agentAt + 'Agent'.length) },
      },
    ]);
  });

  it("goes from an action to the tool's code (definition) and to its schema declaration (declaration)", async () => {
    const params = {
      textDocument: { uri: h.uri('policies/billing.cedar') },
      position: inside(billingText, '"create_refund"', 3),
    };
    const locations = (await h.client.sendRequest(DefinitionRequest.type, params)) as Location[];
    expect(locations.map((l) => l.uri)).toEqual([h.uri('tools/payments-server/src/server.ts')]);
    const declarations = (await h.client.sendRequest(DeclarationRequest.type, params)) as Location[];
    expect(declarations.map((l) => l.uri)).toEqual([h.uri('agent-platform.cedarschema')]);
    expect(declarations[0].range.start.line).toBe(rangeOf(schemaText, 'action "create_refund"').start.line);
  });

  it('lists the policies of a file by @id', async () => {
    const symbols = (await h.client.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: h.uri('policies/billing.cedar') },
    })) as DocumentSymbol[];
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([
      ['billing-read-invoices', 'permit'],
      ['billing-small-refunds', 'permit'],
      ['refunds-above-limit-need-approval', 'forbid'],
    ]);
    expect(symbols[0].selectionRange).toEqual(rangeOf(billingText, '"billing-read-invoices"'));
  });
});
