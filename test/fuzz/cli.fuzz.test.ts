import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraFiles, leakedSecret, pickSeed, seeds } from './corpus';
import { mutation, rng, toBytes } from './mutate';

/*
 * The CLI over mutated workspaces (issue 8): `agentgov check` and `inventory` with
 * `--format json` exit 0 or 1 with valid JSON, never a stack trace, within 10 s, and never
 * print a literal secret. Seeded: AGENTGOV_FUZZ_SEED repeats a run, AGENTGOV_FUZZ_WORKSPACES
 * sets how many (500 in CI).
 */

const REPO = join(__dirname, '../..');
const CLI = join(REPO, 'dist/cli/agentgov.js');
const SEED = Number(process.env.AGENTGOV_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKSPACES = Number(process.env.AGENTGOV_FUZZ_WORKSPACES ?? 500);
const PARALLEL = 2;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[]): Promise<Run> {
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
      for (const command of ['check', 'inventory']) {
        const run = await cli([command, dir, '--format', 'json']);
        const what = `workspace ${n} (seed ${SEED + n}; ${done.join('; ')}): ${command}`;
        let json = true;
        try {
          JSON.parse(run.stdout);
        } catch {
          json = false;
        }
        if (run.status !== 0 && run.status !== 1) failures.push(`${what} exited ${run.status}: ${run.stderr.slice(0, 300)}`);
        else if (!json) failures.push(`${what} printed no valid JSON`);
        else if (/\n\s+at /.test(run.stderr)) failures.push(`${what} printed a stack trace: ${run.stderr.slice(0, 300)}`);
        else if (run.ms > 10_000) failures.push(`${what} took ${Math.round(run.ms)} ms`);
        const leak = leakedSecret(run.stdout + run.stderr);
        if (leak) failures.push(`${what} printed the secret ${leak.slice(0, 6)}…`);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < WORKSPACES && failures.length < 5) await one(next++);
      }),
    );
    rmSync(base, { recursive: true, force: true });
    console.log(`cli fuzz: mutations per kind ${JSON.stringify(Object.fromEntries(perKind))}`);
    expect(failures).toEqual([]);
  }, 1_800_000);
});
