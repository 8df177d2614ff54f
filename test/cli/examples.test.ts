// The bundled example workspace tells the governance story (README's first command): every rule
// AG001–AG013 fires on one deliberate flaw, explained by a comment next to it, and the fix that
// comment points at silences that rule and nothing else.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main';

const EXAMPLES = join(__dirname, '../../examples');
const FRAMEWORKS = new Set(['OWASP-ASI-2026', 'OWASP-NHI-2025', 'OWASP-LLM-2025', 'CSA-MAESTRO', 'NIST-AI-RMF', 'MITRE-ATLAS']);

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  frameworks?: { framework: string; id: string }[];
}

/** Where each rule fires in examples/: the files of its findings (AG005 is reported on both agents that share). */
const EXPECTED: Record<string, string[]> = {
  AG001: ['tools/research/agent.ts'],
  AG002: ['tools/helpdesk/agent.ts'],
  AG003: ['agents/research-agent.agent.yaml'],
  AG004: ['agents/oncall-assistant.agent.yaml'],
  AG005: ['agents/deploy-bot.agent.yaml', 'agents/oncall-assistant.agent.yaml'],
  AG006: ['agents/analytics-agent.agent.yaml'],
  AG007: ['.vscode/mcp.json'],
  AG008: ['policies/analytics.cedar'],
  AG009: ['policies/research.cedar'],
  AG010: ['policies/analytics.cedar'],
  AG011: ['agents/analytics-agent.agent.yaml'],
  AG012: ['agents/research-agent.agent.yaml'],
  AG013: ['tools/ops-server/src/server.ts'],
};

type Edit = [file: string, from: string, to: string];

/** The fix each flaw's comment points at, as edits; `rules` are the rules it silences. */
const FIXES: { rules: string[]; edits: Edit[] }[] = [
  {
    rules: ['AG001'],
    edits: [
      [
        'policies/research.cedar',
        'when { context.input.maxResults <= 10 };\n',
        'when { context.input.maxResults <= 10 };\n\n@id("research-fetch")\npermit (principal == Platform::Agent::"research-agent", action == Platform::Action::"fetch_page", resource)\nwhen { context.input.url like "https://*" };\n',
      ],
    ],
  },
  {
    rules: ['AG002'],
    edits: [['agents/support-agent.agent.yaml', '  - reply_to_ticket\n', '  - reply_to_ticket\n  - export_customer_data\n']],
  },
  { rules: ['AG003'], edits: [['agents/research-agent.agent.yaml', '  - summarize_page\n', '']] },
  {
    rules: ['AG004'],
    edits: [
      [
        'agents/oncall-assistant.agent.yaml',
        'type: human\n  id: dana@acme.example',
        'type: workload\n  id: spiffe://acme.example/agents/oncall-assistant',
      ],
    ],
  },
  {
    rules: ['AG005'],
    edits: [
      ['agents/oncall-assistant.agent.yaml', 'secretRef: vault://ci/deploy-bot', 'secretRef: vault://ops/oncall-assistant'],
    ],
  },
  { rules: ['AG006'], edits: [['agents/analytics-agent.agent.yaml', 'ttl: 24h', 'ttl: 15m']] },
  { rules: ['AG007'], edits: [['.vscode/mcp.json', '"sk-EXAMPLE-not-a-real-token-0000"', '"${env:OPS_API_TOKEN}"']] },
  {
    // A high-risk tool allowed unconditionally breaks both; a forbid unless approved fixes both.
    rules: ['AG008', 'AG011'],
    edits: [
      [
        'policies/analytics.cedar',
        '@id("analytics-approved-tasks")',
        '@id("analytics-publish-needs-approval")\nforbid (principal, action == Platform::Action::"publish_report", resource)\nunless { context has approval && context.approval.granted };\n\n@id("analytics-approved-tasks")',
      ],
    ],
  },
  {
    rules: ['AG009'],
    edits: [['policies/research.cedar', '  principal,\n', '  principal == Platform::Agent::"research-agent",\n']],
  },
  {
    rules: ['AG010'],
    edits: [
      [
        'policies/analytics.cedar',
        '  action,\n',
        '  action in [Platform::Action::"query_metrics", Platform::Action::"publish_report"],\n',
      ],
    ],
  },
  {
    rules: ['AG012'],
    edits: [
      [
        'agents/research-agent.agent.yaml',
        '# AG012: no `audit:` block, so its calls leave no evidence; the other agents have `audit: { sink: … }`.\n',
        'audit:\n  sink: otel://collector.acme.example:4317\n',
      ],
    ],
  },
  { rules: ['AG013'], edits: [['tools/ops-server/src/server.ts', '{ readOnlyHint: true }', '{ destructiveHint: true }']] },
];

async function check(dir: string): Promise<Finding[]> {
  let out = '';
  await runCli(['check', dir, '--format', 'json', '--fail-on', 'none'], (s) => (out += s));
  return (JSON.parse(out) as { findings: Finding[] }).findings;
}

/** A copy of examples/ with the edits applied; each edit must match exactly once. */
function fixedCopy(edits: Edit[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-examples-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  for (const [file, from, to] of edits) {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text.split(from).length - 1, `${file} holds ${JSON.stringify(from)} once`).toBe(1);
    writeFileSync(
      join(dir, file),
      text.replace(from, () => to),
    );
  }
  return dir;
}

const key = (f: Finding) => `${f.ruleId} ${f.file} ${f.message}`;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('examples/: the governance story', () => {
  it('shows every rule family once (AG005 on both agents), each with framework mappings, and no Cedar or reader errors', async () => {
    const findings = await check(EXAMPLES);
    expect(findings.filter((f) => !/^AG\d{3}$/.test(f.ruleId)).map(key)).toEqual([]);
    const byRule: Record<string, string[]> = {};
    for (const f of findings) (byRule[f.ruleId] ??= []).push(f.file);
    for (const list of Object.values(byRule)) list.sort();
    expect(byRule).toEqual(EXPECTED);
    for (const f of findings) {
      expect(f.frameworks?.length, `${f.ruleId} has framework mappings`).toBeGreaterThan(0);
      for (const m of f.frameworks!) expect(FRAMEWORKS, `${f.ruleId}: ${m.framework}`).toContain(m.framework);
    }
  });

  it('explains each flaw with a comment naming its rule in the file it is found in, and suppresses nothing', async () => {
    const findings = await check(EXAMPLES);
    for (const f of findings) {
      const text = readFileSync(join(EXAMPLES, f.file), 'utf8');
      expect(text, `${f.file} explains ${f.ruleId}`).toMatch(new RegExp(`(#|//)[^\\n]*\\b${f.ruleId}\\b`));
    }
    for (const p of files(EXAMPLES)) expect(readFileSync(p, 'utf8'), relative(EXAMPLES, p)).not.toMatch(/agentgov-ignore/i);
  });

  it('each fix silences its own rules and adds no finding', async () => {
    const before = await check(EXAMPLES);
    for (const fix of FIXES) {
      const after = await check(fixedCopy(fix.edits));
      // By rule and file: a fix may change another finding's wording (AG012 counts the tools).
      const where = (f: Finding) => `${f.ruleId} ${f.file}`;
      expect(after.map(where), `after the fix of ${fix.rules.join(' and ')}`).toEqual(
        before.filter((f) => !fix.rules.includes(f.ruleId)).map(where),
      );
    }
  });

  it('with every fix applied, the workspace is silent', async () => {
    expect((await check(fixedCopy(FIXES.flatMap((f) => f.edits)))).map(key)).toEqual([]);
  });

  it('examples/README.md names, for each rule, the files of its findings', () => {
    const readme = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
    for (const [rule, where] of Object.entries(EXPECTED)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${rule} `));
      expect(row, `a row for ${rule}`).toBeDefined();
      for (const file of new Set(where)) expect(row, `${rule} row names ${file}`).toContain(file);
    }
  });
});
