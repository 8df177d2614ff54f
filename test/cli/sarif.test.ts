import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSarif } from '../../server/src/cli/formatSarif';
import type { CheckReport } from '../../server/src/cli/findingsJson';
import { runCli } from '../../server/src/cli/main';
import { builtInRulePack } from '../../server/src/core/governance';

const REPO = join(__dirname, '../..');
const EXAMPLES = join(REPO, 'examples');
const BIN = join(REPO, 'dist/cli/agentgov.js');
const SCHEMA = join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json');
const AG_RULES = Array.from({ length: 13 }, (_, i) => `AG${String(i + 1).padStart(3, '0')}`);
const BROKEN_LINE = 'permit(principal, action, resource) when { context.input.note == "🔥 Zürich" && context.input.amount < };';

/**
 * The official OASIS schema (errata 01) is draft-04: its root names itself with `id`, which Ajv 8
 * reads as `$id`; nothing else in it differs between draft-04 and draft-07. Formats are checked
 * as RFC 3986 and ISO 8601 strings, so a path with a space that is not percent-encoded fails.
 */
function sarifValidator(): ValidateFunction {
  const { id, $schema: _draft04, ...schema } = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  expect(_draft04).toBe('http://json-schema.org/draft-04/schema#');
  const ajv = new Ajv({ strict: false, allErrors: true });
  const uriReference = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
  ajv.addFormat('uri-reference', uriReference);
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && uriReference.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile({ $id: id, ...schema });
}

const validate = sarifValidator();

/** The schema's complaints about a log, as readable lines; empty when it is valid. */
function schemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function builtSarif(dir: string): any {
  const r = spawnSync('node', [BIN, 'check', dir, '--format', 'sarif', '--fail-on', 'none'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function jsonReport(dir: string): Promise<CheckReport> {
  let out = '';
  await runCli(['check', dir, '--format', 'json', '--fail-on', 'none'], (s) => (out += s));
  return JSON.parse(out);
}

function brokenWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-sarif-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  writeFileSync(join(dir, 'policies', 'broken.cedar'), `// broken on purpose\n${BROKEN_LINE}\n`);
  return dir;
}

beforeAll(() => {
  if (!existsSync(BIN)) execFileSync('node', ['scripts/build.mjs'], { cwd: REPO });
});

describe('agentgov check --format sarif (built CLI)', () => {
  let sarif: any;
  beforeAll(() => {
    sarif = builtSarif(EXAMPLES);
  });

  it('is valid SARIF 2.1.0 by the official OASIS schema', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(schemaErrors(sarif)).toEqual([]);
  });

  it('documents every built-in governance rule, AG001–AG013, with help, docs link, level and framework tags', () => {
    const rules: any[] = sarif.runs[0].tool.driver.rules;
    const pack = new Map(
      builtInRulePack()
        .rules()
        .map((r) => [r.ruleId, r]),
    );
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(AG_RULES));
    for (const id of AG_RULES) {
      const rule = rules.find((r) => r.id === id);
      const info = pack.get(id)!;
      expect(rule.name).toBe(info.name);
      expect(rule.helpUri).toBe(`https://github.com/agentgov/cedar-agent-governance/blob/main/docs/rules/${id}.md`);
      for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text, rule.help.markdown]) {
        expect(text.length).toBeGreaterThan(10);
        expect(text).not.toMatch(/\{[A-Za-z_]+\}/);
      }
      const level = { error: 'error', warning: 'warning' }[info.severity as string] ?? 'note';
      expect(rule.defaultConfiguration.level).toBe(level);
      expect(rule.properties['security-severity']).toBe({ error: '8.0', warning: '5.0', note: '2.0' }[level]);
      expect(rule.properties.precision).toBe('high');
      expect(info.frameworks.length).toBeGreaterThan(0);
      expect(rule.properties.tags).toEqual(['security', 'governance', ...info.frameworks.map((f) => `${f.framework}/${f.id}`)]);
    }
    const ag001 = rules.find((r) => r.id === 'AG001');
    expect(ag001.name).toBe('tool-without-policy');
    expect(ag001.properties.tags).toEqual(expect.arrayContaining(['OWASP-ASI-2026/ASI02', 'NIST-AI-RMF/GOVERN 1.6']));
    expect(ag001.help.markdown).toContain('OWASP-ASI-2026 ASI02 Tool Misuse and Exploitation');
    expect(rules.find((r) => r.id === 'AG011').defaultConfiguration.level).toBe('error');
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("points each result's ruleIndex at its rule, with a 1-based region under %SRCROOT% and a stable fingerprint", async () => {
    const run = sarif.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toHaveProperty(['%SRCROOT%']);
    const report = await jsonReport(EXAMPLES);
    expect(run.results).toHaveLength(report.findings.length);
    expect(run.results.length).toBeGreaterThan(0);
    run.results.forEach((r: any, i: number) => {
      const f = report.findings[i];
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f.ruleId);
      expect(r.level).toBe({ error: 'error', warning: 'warning' }[f.severity] ?? 'note');
      expect(r.locations[0].physicalLocation).toEqual({
        artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
        region: {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        },
      });
      expect(r.message.text).toContain(f.message);
      if (f.frameworks) expect(r.properties.tags).toEqual(f.frameworks.map((x) => `${x.framework}/${x.id}`));
    });
    const fingerprints = run.results.map((r: any) => r.partialFingerprints['agentgovFinding/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(builtSarif(EXAMPLES).runs[0].results.map((r: any) => r.partialFingerprints['agentgovFinding/v1'])).toEqual(
      fingerprints,
    );
  });

  it('reports a broken policy as a valid cedar-parse result, columns in UTF-16 code units', () => {
    const broken = builtSarif(brokenWorkspace());
    expect(schemaErrors(broken)).toEqual([]);
    const run = broken.runs[0];
    const result = run.results.find((r: any) => r.ruleId === 'cedar-parse');
    expect(result).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'policies/broken.cedar', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(result.locations[0].physicalLocation.region).toMatchObject({
      startLine: 2,
      startColumn: BROKEN_LINE.indexOf(' };') + 2,
    });
    const rule = run.tool.driver.rules[result.ruleIndex];
    expect(rule).toMatchObject({ id: 'cedar-parse', defaultConfiguration: { level: 'error' } });
    expect(rule.fullDescription.text.length).toBeGreaterThan(20);
    expect(rule.help.text.length).toBeGreaterThan(20);
    expect(rule.properties.tags).toContain('security');
  });
});

describe('formatSarif', () => {
  const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
  const report = {
    version: 1,
    findings: [
      {
        ruleId: 'AG008',
        severity: 'warning',
        message: 'Agent "billing-assistant" may call tool "get_invoice" whatever its input and without an approval.',
        file: 'agents/billing assistant.agent.yaml',
        range: range(6, 4, 25),
        help: 'Constrain the call at run time.',
        frameworks: [{ framework: 'OWASP-ASI-2026', id: 'ASI02' }],
        related: [
          { file: 'tools/payments/server.ts', range: range(11, 2, 15), message: 'tool "get_invoice" (risk low: reads)' },
          { file: 'policies/billing.cedar', range: range(4, 0, 6), message: 'allowed by policy "billing-read-invoices"' },
        ],
      },
      {
        ruleId: 'AG007',
        severity: 'error',
        message: 'A literal secret is written into binding "deploy-bot".',
        file: 'agents/deploy-bot.agent.yaml',
        range: range(9, 10, 30),
        suppressed: { reason: 'test credential of the local mock, rotated daily' },
      },
      {
        ruleId: 'ACME001',
        severity: 'info',
        message: 'Our own rule fired.',
        file: 'policies/x.cedar',
        range: range(0, 0, 0),
        frameworks: [{ framework: 'MITRE-ATLAS', id: 'AML.M0026' }],
      },
    ],
    summary: { files: 3, tools: 0, agents: 0, policies: 0, errors: 1, warnings: 1 },
  } as CheckReport;
  const log = JSON.parse(formatSarif(report, '9.9.9'));
  const [related, suppressed, custom] = log.runs[0].results;

  it('is valid by the schema, and the schema rejects 0-based regions and unencoded URIs', () => {
    expect(schemaErrors(log)).toEqual([]);
    const zeroBased = structuredClone(log);
    zeroBased.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(schemaErrors(zeroBased)).not.toEqual([]);
    const spaced = structuredClone(log);
    spaced.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'agents/billing assistant.agent.yaml';
    expect(schemaErrors(spaced)).not.toEqual([]);
    expect(related.locations[0].physicalLocation.artifactLocation.uri).toBe('agents/billing%20assistant.agent.yaml');
  });

  it("turns a finding's related information into relatedLocations with 1-based regions", () => {
    expect(related.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: 'tool "get_invoice" (risk low: reads)' },
        physicalLocation: {
          artifactLocation: { uri: 'tools/payments/server.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 16 },
        },
      },
      {
        id: 2,
        message: { text: 'allowed by policy "billing-read-invoices"' },
        physicalLocation: {
          artifactLocation: { uri: 'policies/billing.cedar', uriBaseId: '%SRCROOT%' },
          region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 7 },
        },
      },
    ]);
    expect(suppressed.relatedLocations).toBeUndefined();
  });

  it('marks a suppressed finding with an in-source suppression and its justification', () => {
    expect(suppressed.suppressions).toEqual([
      { kind: 'inSource', justification: 'test credential of the local mock, rotated daily' },
    ]);
    expect(related.suppressions).toBeUndefined();
  });

  it('documents a rule no pack knows from its findings, after the built-in rules', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.slice(0, 13).map((r: any) => r.id)).toEqual(AG_RULES);
    expect(rules[custom.ruleIndex]).toMatchObject({
      id: 'ACME001',
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['security', 'MITRE-ATLAS/AML.M0026'], 'security-severity': '2.0' },
    });
    expect(custom.level).toBe('note');
    expect(log.runs[0].tool.driver.version).toBe('9.9.9');
  });
});
