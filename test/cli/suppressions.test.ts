import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../server/src/cli/findingsJson';
import { runCli } from '../../server/src/cli/main';

/*
 * `agentgov check` on a workspace whose only governance finding (AG008 on a permit) is suppressed
 * in place: JSON keeps it marked, the counts and `--fail-on` leave it out, text only counts it,
 * SARIF carries it as an in-source suppression.
 */

const FILES: Record<string, string> = {
  'schema.cedarschema': 'entity Agent;\nentity McpServer;\n',
  'tools/payments.tools.json': `{
  "server": "payments",
  "tools": [
    { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } }
  ]
}
`,
  'agents/billing.agent.yaml': `name: billing
principal: Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
tools:
  - payments/get_invoice
audit:
  sink: otel://collector:4317
`,
};

const PERMIT = 'permit (principal == Agent::"billing", action == Action::"get_invoice", resource);\n';

function workspace(policies: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-suppress-'));
  for (const [rel, text] of Object.entries({ ...FILES, 'policies/billing.cedar': policies })) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, (s) => (out += s));
  return { code, out };
}

const REASON = 'read-only lookup, any invoice id is fine';
const SUPPRESSED = `// agentgov-ignore AG008: ${REASON}\n@id("read-invoices")\n${PERMIT}`;

describe('agentgov check with a suppressed finding', () => {
  it('without the comment, the same workspace has one AG008 warning and fails --fail-on warning', async () => {
    const dir = workspace(`@id("read-invoices")\n${PERMIT}`);
    const { code, out } = await cli(['check', dir, '--format', 'json', '--fail-on', 'warning']);
    const report = JSON.parse(out) as CheckReport;
    expect(report.findings.map((f) => f.ruleId)).toEqual(['AG008']);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 1, suppressed: 0 });
    expect(code).toBe(1);
  });

  it('JSON: the finding stays, marked with its reason; the summary counts it as suppressed; --fail-on warning passes', async () => {
    const dir = workspace(SUPPRESSED);
    const { code, out } = await cli(['check', dir, '--format', 'json', '--fail-on', 'warning']);
    const report = JSON.parse(out) as CheckReport;
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'AG008',
      severity: 'warning',
      file: 'policies/billing.cedar',
      policy: 'read-invoices',
      suppressed: { reason: REASON },
    });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 1 });
    expect(code).toBe(0);
  });

  it('text: the finding is not listed, the summary line says how many were suppressed', async () => {
    const { code, out } = await cli(['check', workspace(SUPPRESSED), '--fail-on', 'warning']);
    expect(out).not.toContain('AG008');
    expect(out.trim()).toMatch(/: 0 errors, 0 warnings, 1 suppressed$/);
    expect(code).toBe(0);
  });

  it('SARIF: the result carries an inSource suppression with the reason, and the log is valid', async () => {
    const { out } = await cli(['check', workspace(SUPPRESSED), '--format', 'sarif']);
    const sarif = JSON.parse(out);
    expect(schemaErrors(sarif)).toEqual([]);
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'AG008', suppressions: [{ kind: 'inSource', justification: REASON }] });
  });

  it('a suppression without a reason: the finding is suppressed, its warning fails --fail-on warning', async () => {
    const dir = workspace(`// agentgov-ignore AG008\n@id("read-invoices")\n${PERMIT}`);
    const { code, out } = await cli(['check', dir, '--format', 'json', '--fail-on', 'warning']);
    const report = JSON.parse(out) as CheckReport;
    expect(report.findings.map((f) => [f.ruleId, f.suppressed])).toEqual([
      ['agentgov-suppression', undefined],
      ['AG008', { reason: '' }],
    ]);
    expect(report.summary).toMatchObject({ warnings: 1, suppressed: 1 });
    expect(code).toBe(1);
    const sarif = JSON.parse((await cli(['check', dir, '--format', 'sarif'])).out);
    expect(schemaErrors(sarif)).toEqual([]);
    const results = sarif.runs[0].results;
    expect(results.find((r: { ruleId: string }) => r.ruleId === 'AG008').suppressions).toEqual([{ kind: 'inSource' }]);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'agentgov-suppression');
    expect(rule.helpUri).toMatch(/docs\/rules\/README\.md#suppressing-a-finding$/);
  });
});

/** The official OASIS SARIF schema (draft-04, read by Ajv as draft-07: see sarif.test.ts). */
const validate = (() => {
  const file = join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json');
  const { id, $schema: _draft04, ...schema } = JSON.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri-reference', /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/);
  ajv.addFormat('uri', /^[A-Za-z][A-Za-z0-9+.-]*:/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT/);
  return ajv.compile({ $id: id, ...schema });
})();

function schemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
