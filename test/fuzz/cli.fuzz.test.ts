import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, htmlProblems, htmlRunProblem, jsonRunProblem, simulateRunProblem } from './cliChecks';
import { extraFiles, leakedSecret, pickSeed, seeds } from './corpus';
import { mutation, pick, rng, toBytes } from './mutate';

/*
 * The CLI over mutated workspaces (issues 8 and 10): `agentgov check`, `inventory`, `test` and
 * `matrix` with `--format json` exit 0 or 1 with valid JSON, never a stack trace, within 10 s,
 * and never print a literal secret; `matrix --format html` (every other workspace instead of the
 * JSON) holds no markup but its own whatever the names; `simulate` with a mutated `--context`
 * exits 0 or 2, with its JSON or one line saying why. Seeded: AGENTGOV_FUZZ_SEED repeats a run,
 * AGENTGOV_FUZZ_WORKSPACES sets how many (500 in CI: each runs `check` and `inventory`; every
 * other one also `test`, `matrix` (JSON or HTML) and `simulate` with a mutated context).
 */

const REPO = join(__dirname, '../..');
const CLI = join(REPO, 'dist/cli/agentgov.js');
const SEED = Number(process.env.AGENTGOV_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKSPACES = Number(process.env.AGENTGOV_FUZZ_WORKSPACES ?? 500);
const PARALLEL = 2;
const MAX_MS = 10_000;

/** Requests `simulate` is asked, each with a context the fuzzer mutates (exact integers and `__extn` values among them). */
const SIMULATIONS = [
  {
    principal: 'billing-assistant',
    action: 'create_refund',
    context: '{"input": {"invoiceId": "INV-1001", "amount": 9007199254740993, "currency": "EUR"}, "approval": {"granted": true}}',
  },
  { principal: 'Platform::Agent::"deploy-bot"', action: 'ci/deploy_service', context: '{"input": {"environment": "staging"}}' },
  {
    principal: 'analytics-agent',
    action: 'Platform::Action::"query_metrics"',
    context: '{"input": {"days": 90, "at": {"__extn": {"fn": "datetime", "arg": "2026-01-01"}}}, "approval": null}',
  },
];

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

describe('the CLI over mutated workspaces', () => {
  it(`${WORKSPACES} workspaces: exit 0 or 1, valid JSON, no stack trace, no secret, under 10 s (seed ${SEED})`, async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first`);
    console.log(`cli fuzz: seed ${SEED}, ${WORKSPACES} workspaces`);
    const all = seeds();
    const base = mkdtempSync(join(tmpdir(), 'agentgov-clifuzz-'));
    const failures: string[] = [];
    const perKind = new Map<string, number>();
    // Milliseconds each command took over the run (what issue 10's commands add to it).
    const perCommand = new Map<string, { runs: number; ms: number }>();
    const timed = async (name: string, args: string[]) => {
      const run = await cli(args);
      const t = perCommand.get(name) ?? { runs: 0, ms: 0 };
      perCommand.set(name, { runs: t.runs + 1, ms: t.ms + run.ms });
      return run;
    };
    let next = 0;
    const one = async (n: number) => {
      const r = rng(SEED + n);
      const dir = join(base, `w${n}`);
      cpSync(join(REPO, 'examples'), dir, { recursive: true });
      for (const [rel, text] of Object.entries(extraFiles())) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      const done: string[] = [];
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const s = pickSeed(r, all);
        const m = mutation(r);
        const { bytes, how } = toBytes(m.apply(s.text, r, s.syntax), r);
        writeFileSync(join(dir, s.rel), bytes);
        done.push(`${s.rel}: ${m.name}${how ? ` (${how})` : ''}`);
        perKind.set(s.syntax, (perKind.get(s.syntax) ?? 0) + 1);
      }
      const where = `workspace ${n} (seed ${SEED + n}; ${done.join('; ')})`;
      const report = (command: string, run: CliRun, problem: string | undefined) => {
        if (problem) failures.push(`${where}: ${command} ${problem}`);
        const leak = leakedSecret(run.stdout + run.stderr);
        if (leak) failures.push(`${where}: ${command} printed the secret ${leak.slice(0, 6)}…`);
      };
      for (const command of ['check', 'inventory']) {
        const run = await timed(command, [command, dir, '--format', 'json']);
        report(command, run, jsonRunProblem(run, [0, 1], MAX_MS));
      }
      // Issue 10's commands on every other workspace (all five on all 500 would double the suite's time).
      if (n % 2) {
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      {
        const run = await timed('test', ['test', dir, '--format', 'json']);
        report('test', run, jsonRunProblem(run, [0, 1], MAX_MS));
      }
      // The matrix as JSON and as HTML on alternate workspaces: both decide the same cells.
      if (n % 4) {
        const run = await timed('matrix --format html', ['matrix', dir, '--format', 'html']);
        report('matrix --format html', run, htmlRunProblem(run, MAX_MS));
      } else {
        const run = await timed('matrix --format json', ['matrix', dir, '--format', 'json']);
        report('matrix --format json', run, jsonRunProblem(run, [0, 1], MAX_MS));
      }
      // A mutated context, inline or from a file (a megabyte context does not fit in an argument).
      const sim = pick(r, SIMULATIONS);
      const cm = mutation(r);
      const context = cm.apply(sim.context, r, 'json');
      writeFileSync(join(dir, 'context.json'), toBytes(context, r).bytes);
      // An argument cannot hold a NUL character.
      const inline = context.length < 60_000 && !context.includes('\0') && r() < 0.5;
      const args = ['simulate', dir, '--principal', sim.principal, '--action', sim.action, '--format', 'json'];
      const run = await timed('simulate', [...args, '--context', inline ? context : `@${join(dir, 'context.json')}`]);
      report(
        `simulate ${sim.principal} ${sim.action} with its context mutated (${cm.name}, ${inline ? 'inline' : 'from a file'})`,
        run,
        simulateRunProblem(run, MAX_MS),
      );
      rmSync(dir, { recursive: true, force: true });
    };
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < WORKSPACES && failures.length < 5) await one(next++);
      }),
    );
    rmSync(base, { recursive: true, force: true });
    console.log(`cli fuzz: mutations per kind ${JSON.stringify(Object.fromEntries(perKind))}`);
    for (const [command, t] of perCommand)
      console.log(`cli fuzz: ${command}: ${t.runs} runs, ${Math.round(t.ms / 1000)} s (${Math.round(t.ms / t.runs)} ms each)`);
    expect(failures).toEqual([]);
  }, 1_800_000);

  it("the HTML check finds markup the page's writer did not make", () => {
    const page = (cell: string) =>
      `<!DOCTYPE html>\n<html lang="en"><head><style>td{}</style></head><body><table><tbody><tr data-agent="a"><td>${cell}</td></tr></tbody></table><script>x()</script></body></html>`;
    expect(htmlProblems(page('&#60;img src=x&#62;'))).toEqual([]);
    expect(htmlProblems(page('<img src=x onerror=alert(1)>'))).not.toEqual([]);
    expect(htmlProblems(page('<script>alert(1)</script>'))).not.toEqual([]);
    expect(htmlProblems(page('a < b'))).not.toEqual([]);
    expect(htmlProblems(page('<td onclick="x">'))).not.toEqual([]);
    expect(htmlProblems(page('"><b>'))).not.toEqual([]);
  });
});
