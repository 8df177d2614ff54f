import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main';

const REPO = join(__dirname, '../..');
const EXAMPLES = join(REPO, 'examples');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, (s) => (out += s));
  return { code, out };
}

function brokenWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-cli-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  writeFileSync(
    join(dir, 'policies', 'broken.cedar'),
    '// Zürich 🔥\npermit(principal, action, resource) when { context.input.amount < };\n',
  );
  return dir;
}

describe('agentgov check', () => {
  it('prints the SPEC §9 JSON shape for the examples and exits 1 (they hold error findings on purpose)', async () => {
    const { code, out } = await cli(['check', EXAMPLES, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(Object.keys(report)).toEqual(['version', 'findings', 'summary']);
    expect(report.version).toBe(1);
    expect(report.summary).toMatchObject({ files: 23, policies: 15, tools: 13, agents: 6, errors: 5, warnings: 9 });
    expect(Object.keys(report.summary).sort()).toEqual([
      'agents',
      'errors',
      'files',
      'policies',
      'suppressed',
      'tools',
      'warnings',
    ]);
  });

  it('reports a broken policy as a finding with a relative path and exact range, exit 1', async () => {
    const dir = brokenWorkspace();
    const { code, out } = await cli(['check', dir, '--format', 'json']);
    expect(code).toBe(1);
    const f = (JSON.parse(out) as { findings: { ruleId: string; range: { start: unknown } }[] }).findings.find(
      (x) => x.ruleId === 'cedar-parse',
    )!;
    expect(f).toMatchObject({ ruleId: 'cedar-parse', severity: 'error', file: 'policies/broken.cedar' });
    expect(f.range.start).toEqual({
      line: 1,
      character: 'permit(principal, action, resource) when { context.input.amount < '.length,
    });
  });

  it('--fail-on none always exits 0; --fail-on warning fails on warnings', async () => {
    const dir = brokenWorkspace();
    expect((await cli(['check', dir, '--fail-on', 'none'])).code).toBe(0);
    // Warnings only: a tool no policy names (AG001) and no binding lists (AG002).
    const warningsOnly = mkdtempSync(join(tmpdir(), 'agentgov-cli-'));
    writeFileSync(
      join(warningsOnly, 'ci.tools.json'),
      JSON.stringify({ tools: [{ name: 'read_logs', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }] }),
    );
    expect((await cli(['check', warningsOnly, '--fail-on', 'error'])).code).toBe(0);
    expect((await cli(['check', warningsOnly, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('prints compiler-style text with 1-based positions and a summary', async () => {
    const { out } = await cli(['check', brokenWorkspace()]);
    expect(out).toMatch(/^policies\/broken\.cedar:2:\d+ {2}error {2}.+ {2}\[cedar-parse\]$/m);
    expect(out).toMatch(/24 files, 16 policies, 13 tools, 6 agents: 6 errors, 9 warnings/);
  });

  it('prints SARIF 2.1.0', async () => {
    const { out } = await cli(['check', brokenWorkspace(), '--format', 'sarif']);
    const sarif = JSON.parse(out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'cedar-parse')).toMatchObject({
      ruleId: 'cedar-parse',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'policies/broken.cedar' }, region: { startLine: 2 } } }],
    });
  });

  it('exits 2 on usage errors and on folders that cannot be read', async () => {
    expect((await cli(['check', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['check', join(tmpdir(), 'no-such-folder-agentgov')])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });
});

describe('the built CLI bundle', () => {
  const bin = join(REPO, 'dist/cli/agentgov.js');
  beforeAll(() => {
    if (!existsSync(bin)) execFileSync('node', ['scripts/build.mjs'], { cwd: REPO });
  });

  it('runs from dist with cedar-wasm beside it, with the same output as in-process', async () => {
    const r = spawnSync('node', [bin, 'check', EXAMPLES, '--format', 'json'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse((await cli(['check', EXAMPLES, '--format', 'json'])).out));
  });
});

describe('agentgov inventory', () => {
  it('prints the tools and agents of the examples as JSON with relative files and exact ranges', async () => {
    const { code, out } = await cli(['inventory', EXAMPLES, '--format', 'json']);
    expect(code).toBe(0);
    const inv = JSON.parse(out);
    expect(Object.keys(inv)).toEqual(['tools', 'agents']);
    expect(inv.tools.map((t: { name: string }) => t.name).sort()).toEqual([
      'create_refund',
      'deploy_service',
      'export_customer_data',
      'fetch_page',
      'get_invoice',
      'publish_report',
      'purge_cache',
      'query_metrics',
      'read_logs',
      'reply_to_ticket',
      'restart_service',
      'search_tickets',
      'search_web',
    ]);
    const refund = inv.tools.find((t: { name: string }) => t.name === 'create_refund');
    expect(refund).toMatchObject({
      server: 'payments',
      source: 'mcp-sdk',
      file: 'tools/payments-server/src/server.ts',
      risk: 'high',
    });
    expect(refund.inputFields.map((f: { name: string }) => f.name)).toEqual(['invoiceId', 'amount', 'currency', 'reason']);
    const text = readFileSync(join(EXAMPLES, refund.file), 'utf8').split('\n')[refund.range.start.line];
    expect(text.slice(refund.range.start.character, refund.range.end.character)).toBe("'create_refund'");
    expect(inv.agents.map((a: { name: string }) => a.name)).toEqual([
      'analytics-agent',
      'billing-assistant',
      'deploy-bot',
      'oncall-assistant',
      'research-agent',
      'support-agent',
    ]);
    const billing = inv.agents[1];
    expect(billing).toMatchObject({
      principal: 'Platform::Agent::"billing-assistant"',
      file: 'agents/billing-assistant.agent.yaml',
      identity: { type: 'workload' },
      tools: ['payments/get_invoice', 'payments/create_refund'],
    });
    expect(billing.credentials[0]).toMatchObject({
      name: 'payments-api',
      type: 'jit-token',
      ttlSeconds: 900,
      revokeOnTaskEnd: true,
    });
  });

  it('prints a readable listing by default', async () => {
    const { out } = await cli(['inventory', EXAMPLES]);
    expect(out).toMatch(/^Agents \(6\)$/m);
    expect(out).toMatch(/export_customer_data {2}risk: medium .*\n.*\n {4}agents: none/);
  });
});
