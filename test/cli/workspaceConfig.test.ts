import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main';

/* `agentgov check` reads `.agentgov/config.yaml` and the workspace rules as the editor does. */

const FILES: Record<string, string> = {
  'schema.cedarschema': 'entity Agent;\nentity McpServer;\n',
  'tools/payments.tools.json': JSON.stringify({
    server: 'payments',
    tools: [{ name: 'approve_loan', description: 'Approve a loan', annotations: { destructiveHint: false } }],
  }),
  'agents/billing.agent.yaml': `name: billing
principal: Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
credentials:
  - name: loans-api
    type: jit-token
    ttl: 30m
    revokeOnTaskEnd: true
tools:
  - payments/approve_loan
`,
  'policies/loans.cedar': '@id("loans")\npermit (principal == Agent::"billing", action == Action::"approve_loan", resource);\n',
  '.agentgov/config.yaml': `rules:
  AG008: error
  AG012: off
  AG0011: info
maxCredentialTtl: 10m
risk:
  highRiskKeywords: [approve]
`,
  '.agentgov/rules/acme.cedar': `@id("ACME001")
@name("high-risk-tool")
@severity("warning")
@message("Tool \\"{name}\\" is high-risk ({riskReason}).")
@frameworks("OWASP-ASI-2026:ASI02")
@docs("https://acme.example/rules/ACME001")
forbid (principal is AgentGov::Tool, action == AgentGov::Action::"evaluate", resource)
when { principal.risk == "high" };
`,
};

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-config-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

async function check(dir: string, format = 'json'): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['check', dir, '--format', format], (s) => (out += s));
  return { code, out };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  tool?: string;
  url?: string;
  frameworks?: { framework: string; id: string }[];
  range: { start: { line: number; character: number } };
}

describe('agentgov check with a configuration and a workspace rule', () => {
  it('reports the workspace rule, the configured levels and options, and the configuration’s mistakes (JSON)', async () => {
    const { code, out } = await check(workspace());
    const report = JSON.parse(out) as { findings: JsonFinding[]; summary: Record<string, number> };
    const by = (id: string) => report.findings.filter((f) => f.ruleId === id);
    expect(by('ACME001')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'tools/payments.tools.json',
        tool: 'approve_loan',
        message: 'Tool "approve_loan" is high-risk (name contains "approve").',
        url: 'https://acme.example/rules/ACME001',
        frameworks: [{ framework: 'OWASP-ASI-2026', id: 'ASI02' }],
      }),
    ]);
    // Re-levelled, silenced, and the 10m maximum for the 30m credential.
    expect(by('AG008').map((f) => f.severity)).toEqual(['error']);
    expect(by('AG012')).toEqual([]);
    expect(by('AG006')).toEqual([expect.objectContaining({ file: 'agents/billing.agent.yaml', range: expect.anything() })]);
    expect(by('AG006')[0].message).toContain('maximum of 10m');
    // `approve` made the tool high-risk: AG011 at its default level (the misspelt id changed nothing).
    expect(by('AG011').map((f) => f.severity)).toEqual(['error']);
    expect(by('agentgov-config')).toEqual([
      expect.objectContaining({
        file: '.agentgov/config.yaml',
        severity: 'warning',
        message: expect.stringContaining('did you mean `AG011`?'),
      }),
    ]);
    expect(by('agentgov-config')[0].range.start).toEqual({ line: 3, character: 2 });
    // The rule file is not a policy of the workspace.
    expect(report.summary.policies).toBe(1);
    expect(report.findings.filter((f) => f.file === '.agentgov/rules/acme.cedar')).toEqual([]);
    expect(code).toBe(1);
  });

  it('gives SARIF results the configured level', async () => {
    const { out } = await check(workspace(), 'sarif');
    const results = JSON.parse(out).runs[0].results as { ruleId: string; level: string }[];
    expect(results.filter((r) => r.ruleId === 'AG008').map((r) => r.level)).toEqual(['error']);
    expect(results.filter((r) => r.ruleId === 'ACME001').map((r) => r.level)).toEqual(['warning']);
  });
});
