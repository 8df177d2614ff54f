import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, type CompletionItem, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspHarness, positionAt } from './lspHarness';

/*
 * `.agentgov/config.yaml` and workspace rules through the language server: diagnostics on both,
 * completion and hover in the configuration, and an edit of the configuration re-checking the
 * files it governs.
 */

const TOOLS = JSON.stringify({
  server: 'payments',
  tools: [{ name: 'approve_loan', description: 'Approve a loan', annotations: { destructiveHint: false } }],
});
const BINDING = `name: billing
principal: Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
tools:
  - payments/approve_loan
`;
const RULE = `@id("ACME001")
@name("high-risk-tool")
@why("Acme reviews every high-risk tool.")
@message("Tool \\"{name}\\" is {risk}-risk.")
forbid (principal is AgentGov::Tool, action, resource) when { principal.risk == "high" };

@id("ACME002")
forbid (principal is AgentGov::Tool, action, resource) when { principal.owner == "" };
`;
const CONFIG = `rules:
  AG012: off
  AG0012: warning
risk:
  highRiskKeywords: [approve]
`;

let h: LspHarness;
beforeAll(async () => {
  h = await LspHarness.start({
    examples: false,
    files: {
      'schema.cedarschema': 'entity Agent;\nentity McpServer;\n',
      'tools/payments.tools.json': TOOLS,
      'agents/billing.agent.yaml': BINDING,
      'policies/loans.cedar':
        '@id("loans")\npermit (principal == Agent::"billing", action == Action::"approve_loan", resource);\n',
      '.agentgov/config.yaml': CONFIG,
      '.agentgov/rules/acme.cedar': RULE,
    },
  });
});
afterAll(async () => h?.dispose());

describe('the configuration through the language server', () => {
  it('publishes its mistakes where they are, and the rules it configures apply', async () => {
    const d = await h.waitForDiagnostics(h.uri('.agentgov/config.yaml'), (ds) => ds.length > 0);
    expect(d).toEqual([
      expect.objectContaining({
        code: 'agentgov-config',
        message: expect.stringContaining('did you mean `AG012`?'),
        range: { start: positionAt(CONFIG, CONFIG.indexOf('AG0012')), end: positionAt(CONFIG, CONFIG.indexOf('AG0012') + 6) },
      }),
    ]);
    // `approve` makes the tool high-risk: the workspace rule and AG011 fire; AG012 is off.
    const tools = await h.waitForDiagnostics(h.uri('tools/payments.tools.json'), (ds) => ds.some((x) => x.code === 'ACME001'));
    const acme = tools.find((x) => x.code === 'ACME001')!;
    expect(acme.message).toBe('Tool "approve_loan" is high-risk.');
    // Explained on hover like a built-in rule's finding.
    const hover = await h.client.sendRequest(HoverRequest.type, {
      textDocument: { uri: h.uri('tools/payments.tools.json') },
      position: { line: acme.range.start.line, character: acme.range.start.character + 1 },
    });
    const md = (hover!.contents as MarkupContent).value;
    expect(md).toContain('**ACME001 high-risk-tool** · warning');
    expect(md).toContain('*Why it matters:* Acme reviews every high-risk tool.');
    const binding = await h.waitForDiagnostics(h.uri('agents/billing.agent.yaml'), (ds) => ds.some((x) => x.code === 'AG011'));
    expect(binding.map((x) => x.code)).not.toContain('AG012');
  });

  it('publishes Cedar’s findings against the facts schema on the rule file', async () => {
    const d = await h.waitForDiagnostics(h.uri('.agentgov/rules/acme.cedar'), (ds) => ds.length > 0);
    const at = RULE.indexOf('principal.owner');
    expect(d).toEqual([
      expect.objectContaining({
        code: 'cedar-validation',
        range: { start: positionAt(RULE, at), end: positionAt(RULE, at + 'principal.owner'.length) },
      }),
    ]);
  });

  it('completes rule ids and levels, and explains a rule id on hover', async () => {
    const uri = await h.open('.agentgov/config.yaml', CONFIG, 'yaml');
    const ids = (await h.client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 2, character: 2 },
    })) as CompletionItem[];
    expect(ids.map((i) => i.label)).toEqual(expect.arrayContaining(['AG008', 'AG011', 'ACME001']));
    const levels = (await h.client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 'AG012: '.length + 2 },
    })) as CompletionItem[];
    expect(levels.map((i) => i.label)).toEqual(['off', 'error', 'warning', 'info', 'hint']);
    const hover = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 4 } });
    expect((hover!.contents as MarkupContent).value).toContain('**AG012 missing-audit**');
  });

  it('an edit of the open configuration re-checks the files it governs', async () => {
    const uri = h.uri('.agentgov/config.yaml');
    await h.change(uri, [{ text: 'rules:\n  ACME001: off\n' }]);
    await h.waitForDiagnostics(uri, (ds) => ds.length === 0);
    // No `approve` keyword any more: the tool is medium-risk, so no AG011; AG012 is back on.
    const binding = await h.waitForDiagnostics(
      h.uri('agents/billing.agent.yaml'),
      (ds) => ds.some((x) => x.code === 'AG012') && !ds.some((x) => x.code === 'AG011'),
    );
    expect(binding.find((x) => x.code === 'AG012')?.severity).toBe(2);
    await h.waitForDiagnostics(h.uri('tools/payments.tools.json'), (ds) => !ds.some((x) => x.code === 'ACME001'));
  });
});
