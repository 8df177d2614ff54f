import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { hugePolicyFile } from './hugeFile';
import { LspHarness, positionAt } from './lspHarness';

const BUNDLE = resolve(__dirname, '../../dist/server/server.js');

let h: LspHarness | undefined;
afterEach(async () => h?.dispose());

function bundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: build it first with \`node scripts/build.mjs\``);
  return BUNDLE;
}

// The built server as an editor runs it: its own process, JSON-RPC over stdin/stdout.
describe('the bundled server over --stdio', () => {
  it('checks a 5 MB policy file without dying, and still answers hover on another file', async () => {
    const huge = hugePolicyFile(5);
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/huge.cedar': huge.text } }, [
      process.execPath,
      bundle(),
      '--stdio',
    ]);
    const d = await h.waitForDiagnostics(h.uri('policies/huge.cedar'), (d) => d.length > 0, 25_000);
    expect(d).toEqual([expect.objectContaining({ code: 'cedar-parse', range: huge.error })]);
    const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
    const at = billing.indexOf('context.input.amount') + 'context.input.'.length + 2;
    const hover = await h.client.sendRequest(HoverRequest.type, {
      textDocument: { uri: h.uri('policies/billing.cedar') },
      position: positionAt(billing, at),
    });
    expect((hover?.contents as MarkupContent).value).toContain('amount: Long');
    expect(h.alive).toBe(true);
  }, 60_000);
});
