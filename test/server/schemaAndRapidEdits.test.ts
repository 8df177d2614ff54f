import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { LspHarness, rangeOf } from './lspHarness';

let h: LspHarness;
afterEach(async () => h?.dispose());

const isEmpty = (d: unknown[]) => d.length === 0;

describe('schema edits', () => {
  it('re-checks policy files that are not open when the schema changes, and clears them when fixed', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const billing = h.uri('policies/billing.cedar');
    const billingText = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    const schemaText = readFileSync(h.path('agent-platform.cedarschema'), 'utf8');
    await h.waitForDiagnostics(billing, isEmpty);

    const schema = await h.open('agent-platform.cedarschema', schemaText);
    const attr = 'amount: Long, ';
    const removed = rangeOf(schemaText, attr);
    await h.change(schema, [{ range: removed, text: '' }]);
    const d = await h.waitForDiagnostics(billing, (d) => d.length > 0);
    // Both policies that read the amount of a refund, each at its own `context.input.amount`.
    expect(d.map((x) => x.range)).toEqual([
      rangeOf(billingText, 'context.input.amount', 0),
      rangeOf(billingText, 'context.input.amount', 1),
    ]);
    for (const x of d) {
      expect(x).toMatchObject({ code: 'cedar-validation', severity: 1, source: 'agentgov' });
      expect(x.message).toContain('`input.amount`');
    }
    expect(h.latest(billing)?.version).toBeUndefined();

    await h.change(schema, [{ range: { start: removed.start, end: removed.start }, text: attr }]);
    await h.waitForNextDiagnostics(billing, isEmpty);
    // The other policy files went through the same schema and stayed clean.
    expect(h.latest(h.uri('policies/devops.cedar'))?.diagnostics).toEqual([]);
  });
});

describe('rapid successive edits', () => {
  it('publishes the diagnostics of the last text, and nothing stale after it', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    let text = `@id("rapid")
permit (
  principal,
  action == Platform::Action::"create_refund",
  resource
)
when { context.input.amount0 > 1 };
`;
    const uri = await h.open('policies/rapid.cedar', text);
    await h.waitForDiagnostics(uri, (_, p) => p.version === 1);

    // Ten edits renaming the attribute amount0 → amount1 → … → amount10, sent without waiting.
    const changes: TextDocumentContentChangeEvent[] = [];
    for (let i = 1; i <= 10; i++) {
      const range = rangeOf(text, `amount${i - 1}`);
      changes.push({ range, text: `amount${i}` });
      text = text.replace(`amount${i - 1}`, `amount${i}`);
    }
    const sent = await Promise.all(changes.map((c) => h.change(uri, [c])));
    const finalVersion = sent.at(-1)!;
    expect(finalVersion).toBe(11);

    const d = await h.waitForDiagnostics(uri, (_, p) => p.version === finalVersion);
    expect(d).toEqual([expect.objectContaining({ range: rangeOf(text, 'context.input.amount10'), code: 'cedar-validation' })]);
    expect(d[0].message).toContain('`input.amount10`');

    await h.server!.idle();
    const all = h.publishes.get(uri)!;
    const firstFinal = all.findIndex((p) => p.version === finalVersion);
    expect(all.slice(firstFinal).map((p) => p.version)).toEqual(all.slice(firstFinal).map(() => finalVersion));
    expect(all.at(-1)!.version).toBe(finalVersion);
    // Every publish describes the text of the version it names.
    for (const p of all) {
      const name = `amount${(p.version ?? 1) - 1}`;
      expect(p.diagnostics.map((x) => String(x.message).split('\n')[0])).toEqual([expect.stringContaining(`\`input.${name}\``)]);
    }
  });
});
