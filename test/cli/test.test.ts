// `agentgov test`: exit codes, SPEC §11's JSON, the text's failure lines, coverage, and explicit
// files named as Cedar's corpus names them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main';
import type { TestReport } from '../../server/src/cli/testReport';
import { testTargets } from '../../server/src/cli/test';

const EXAMPLES = join(__dirname, '../../examples');
// Plain text whatever the terminal running the tests.
process.env.NO_COLOR = '1';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, (s) => (out += s));
  return { code, out };
}

/** A copy of examples/ with a test file's text replaced. */
function examplesWith(file: string, edit: (text: string) => string): string {
  const dir = tempDir('agentgov-test-');
  cpSync(EXAMPLES, dir, { recursive: true });
  const path = join(dir, 'tests', file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

describe('agentgov test', () => {
  it('runs the examples: all pass, exit 0, SPEC §11 JSON', async () => {
    const { code, out } = await cli(['test', EXAMPLES, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as TestReport;
    expect(Object.keys(report)).toEqual(['results', 'summary', 'problems']);
    expect(report.summary).toMatchObject({ passed: 10, failed: 0, notRun: 0, problems: 0, files: 2 });
    const first = report.results[0];
    expect(first).toMatchObject({
      file: expect.stringMatching(/tests\/billing\.cedartests\.json$/),
      description: 'reads an invoice by its id',
      passed: true,
      expected: { decision: 'allow', reason: ['billing-read-invoices'] },
      actual: { decision: 'allow', reason: ['billing-read-invoices'], errors: [] },
    });
    for (const r of report.results)
      for (const key of ['file', 'description', 'passed', 'expected', 'actual']) expect(r).toHaveProperty(key);
  });

  it('a failing request: exit 1, one text line with expected vs actual and file:line', async () => {
    const dir = examplesWith('billing.cedartests.json', (t) => t.replace('"amount": 120', '"amount": 620'));
    const { code, out } = await cli(['test', dir]);
    expect(code).toBe(1);
    const line = out.split('\n').find((l) => l.startsWith('FAIL'))!;
    expect(line).toMatch(
      /billing\.cedartests\.json:18 {2}refunds a small amount in EUR: expected allow, got deny; reasons: expected \[billing-small-refunds\], got \[refunds-above-limit-need-approval\]$/,
    );
    expect(out.trim().split('\n').pop()).toMatch(/^9 passed, 1 failed in 2 test files \(\d+ ms\)$/);
    const json = JSON.parse((await cli(['test', dir, '--format', 'json'])).out) as TestReport;
    expect(json.summary).toMatchObject({ passed: 9, failed: 1 });
    expect(json.results.find((r) => !r.passed)).toMatchObject({
      mismatches: ['decision', 'reason'],
      range: { start: { line: 17 } },
    });
  });

  it('a problem (a path that does not exist): exit 1, the problem with its position, its requests not run', async () => {
    const dir = examplesWith('deploy.cedartests.json', (t) => t.replace('"policies/devops.cedar"', '"policies/devop.cedar"'));
    const { code, out } = await cli(['test', dir]);
    expect(code).toBe(1);
    // Paths are relative to the current folder when inside it, else absolute (this copy is in the temporary folder).
    expect(out).toContain(
      `${dir}/tests/deploy.cedartests.json:4:16  error  No policy file \`policies/devop.cedar\`: looked for ${dir}/tests/policies/devop.cedar, ${dir}/policies/devop.cedar.  [agentgov-tests]`,
    );
    expect(out).toMatch(/^NOT RUN .*deploy\.cedartests\.json:9 {2}reads a day of logs: Not run: No policy file/m);
    expect(out).toMatch(/5 passed, 4 failed \(4 not run\), 1 problem in 2 test files/);
  });

  it('--coverage: per policy file in text and JSON', async () => {
    const dir = examplesWith('billing.cedartests.json', (t) =>
      t.replace(/\{\n\s*"description": "reads an invoice by its id"[\s\S]*?\n {4}\},\n/, ''),
    );
    const text = (await cli(['test', dir, '--coverage'])).out;
    expect(text).toMatch(/policies\/billing\.cedar {2}2\/3 determining, 2\/3 satisfied/);
    expect(text).toMatch(/✗ billing-read-invoices \(permit, line 4\) {2}no request exercises it/);
    const json = JSON.parse((await cli(['test', dir, '--coverage', '--format', 'json'])).out) as TestReport;
    const billing = json.coverage!.find((c) => c.file.endsWith('policies/billing.cedar'))!;
    expect(billing).toMatchObject({ policies: 3, determining: 2, satisfied: 2 });
    expect(billing.byPolicy.map((p) => [p.id, p.determining, p.satisfied])).toEqual([
      ['billing-read-invoices', 0, 0],
      ['billing-small-refunds', 1, 1],
      ['refunds-above-limit-need-approval', 1, 1],
    ]);
  });

  it('a folder inside the current folder looks its paths up to the current folder', async () => {
    const repo = join(EXAMPLES, '..');
    const found = testTargets([join(EXAMPLES, 'tests')], repo);
    expect(found).toEqual({
      targets: ['billing', 'deploy'].map((n) => ({ file: join(EXAMPLES, 'tests', `${n}.cedartests.json`), root: repo })),
    });
    expect(process.cwd()).toBe(repo);
    expect((await cli(['test', join(EXAMPLES, 'tests')])).code).toBe(0);
  });

  it('usage errors exit 2: a path that does not exist, a folder without tests, a bad option', async () => {
    expect((await cli(['test', join(EXAMPLES, 'nope')])).code).toBe(2);
    expect((await cli(['test', join(EXAMPLES, 'policies')])).code).toBe(2);
    expect((await cli(['test', EXAMPLES, '--format', 'sarif'])).code).toBe(2);
  });

  it('runs an explicit file of any name, its paths looked up through parent folders (as Cedar corpus tests are)', async () => {
    const dir = tempDir('agentgov-corpus-style-');
    mkdirSync(join(dir, 'corpus-tests'));
    writeFileSync(
      join(dir, 'corpus-tests', 'abc.cedar'),
      'permit (principal, action, resource) when { context.n == 9007199254740993 };',
    );
    writeFileSync(join(dir, 'corpus-tests', 'abc.entities.json'), '[]');
    const test = (n: string) => `{
      "policies": "corpus-tests/abc.cedar", "entities": "corpus-tests/abc.entities.json",
      "requests": [{ "description": "Request 0", "principal": { "type": "T", "id": "" }, "action": { "type": "Action", "id": "a" },
        "resource": { "type": "T", "id": "" }, "context": { "n": ${n} }, "decision": "allow", "reason": ["policy0"], "errors": [] }]
    }`;
    writeFileSync(join(dir, 'corpus-tests', 'abc.json'), test('9007199254740993'));
    writeFileSync(join(dir, 'corpus-tests', 'def.json'), test('9007199254740992'));
    expect(testTargets([join(dir, 'corpus-tests', 'abc.json')], dir)).toEqual({
      targets: [{ file: join(dir, 'corpus-tests', 'abc.json'), root: dir }],
    });
    expect((await cli(['test', join(dir, 'corpus-tests', 'abc.json')])).code).toBe(0);
    const { code, out } = await cli(['test', join(dir, 'corpus-tests', 'def.json'), '--format', 'json']);
    expect(code).toBe(1);
    expect((JSON.parse(out) as TestReport).results[0]).toMatchObject({ passed: false, actual: { decision: 'deny' } });
    // A folder holds only `*.cedartests.json`: the corpus's `<hash>.json` are named explicitly.
    expect((await cli(['test', dir])).code).toBe(2);
  });
});
