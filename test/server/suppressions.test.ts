import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticTag, HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspHarness } from './lspHarness';

/*
 * In the editor a suppressed finding is not published (nor explained on hover); the suppression's
 * own problems are. Removing the comment brings the finding back, so it is the comment that hides it.
 */

const PERMIT = 'permit (principal == Agent::"billing", action == Action::"get_invoice", resource);';
const SUPPRESSED = `// agentgov-ignore AG008: read-only lookup, any invoice id is fine\n@id("read-invoices")\n${PERMIT}\n\n// agentgov-ignore AG009: stale\n@id("nothing")\nforbid (principal, action, resource) when { context has approval };\n`;

let h: LspHarness;
beforeAll(async () => {
  h = await LspHarness.start({
    examples: false,
    files: {
      'schema.cedarschema': 'entity Agent;\nentity McpServer;\n',
      'tools/payments.tools.json': JSON.stringify({
        server: 'payments',
        tools: [
          {
            name: 'get_invoice',
            description: 'Read an invoice',
            annotations: { readOnlyHint: true },
            inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          },
        ],
      }),
      'agents/billing.agent.yaml':
        'name: billing\nprincipal: Agent::"billing"\nidentity:\n  type: workload\n  id: spiffe://acme/billing\ntools:\n  - payments/get_invoice\naudit:\n  sink: otel://collector:4317\n',
      'policies/billing.cedar': SUPPRESSED,
    },
  });
});
afterAll(async () => h?.dispose());

describe('suppressed findings in the editor', () => {
  it('publishes the suppression problems but not the suppressed finding, nor its hover', async () => {
    const uri = h.uri('policies/billing.cedar');
    const ds = await h.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'agentgov-suppression'), 20_000);
    expect(ds.map((d) => d.code)).toEqual(['agentgov-suppression']);
    const [stale] = ds;
    expect(stale.message).toContain('`agentgov-ignore AG009` suppresses nothing');
    expect(stale.tags).toEqual([DiagnosticTag.Unnecessary]);
    expect(stale.range.start).toEqual({ line: 4, character: '// agentgov-ignore '.length });
    const hover = await h.client.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 2, character: 2 },
    });
    expect(JSON.stringify(hover ?? '')).not.toContain('AG008');
  });

  it('publishes the finding once the comment is gone, and hides it again when it is back', async () => {
    const uri = await h.open('policies/billing.cedar', SUPPRESSED);
    await h.change(uri, [{ text: SUPPRESSED.replace(/^\/\/ agentgov-ignore AG008.*\n/, '') }]);
    const shown = await h.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'AG008'), 20_000);
    expect(shown.find((d) => d.code === 'AG008')!.range.start.line).toBe(1);
    await h.change(uri, [{ text: SUPPRESSED }]);
    const hidden = await h.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'AG008'), 20_000);
    expect(hidden.map((d) => d.code)).toEqual(['agentgov-suppression']);
  });
});
