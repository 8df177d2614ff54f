import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionRequest, type Diagnostic, DocumentSymbolRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { InventoryRequest, StatsRequest } from '../../server/src/protocol';
import { type HarnessOptions, LspHarness } from '../server/lspHarness';
import { leakedSecret } from './corpus';

/*
 * What the server fuzzers share: the bundled server started as the extension starts it, the
 * requests that must answer after every burst, settling, and the final comparison with a fresh
 * `agentgov check` of the same files.
 */

const REPO = join(__dirname, '../..');
const SERVER = join(REPO, 'dist/server/server.js');
const CLI = join(REPO, 'dist/cli/agentgov.js');
const LAUNCH = JSON.parse(readFileSync(join(REPO, 'server/src/lsp/launch.json'), 'utf8')) as {
  execArgv: string[];
  env: Record<string, string>;
};

/** The policy file every burst's requests go to; the fuzzers never mutate it. */
export const PROBE = 'policies/billing.cedar';

/**
 * How long a request may wait for its answer: one second, as issue 8 asks. Every answer over
 * 400 ms is printed at the end with the long tasks behind it (each names the work unit that held
 * the thread), so a slow one can be traced; AGENTGOV_FUZZ_ANSWER_MS loosens the bound to find
 * what a failing seed is waiting for.
 */
export const ANSWER_MS = Number(process.env.AGENTGOV_FUZZ_ANSWER_MS ?? 1000);

/** The slowest answer of the run, and after what; and every answer slower than half the bound. */
export const slowest = { ms: 0, where: '' };
export const slowAnswers: { ms: number; where: string; longTasks?: string }[] = [];
const SLOW_MS = 400;

export function within<T>(ms: number, what: string, p: Thenable<T>): Promise<T> {
  const started = performance.now();
  void Promise.resolve(p).then(() => {
    const took = performance.now() - started;
    if (took > slowest.ms) Object.assign(slowest, { ms: took, where: what });
    if (took > SLOW_MS) slowAnswers.push({ ms: Math.round(took), where: what });
  });
  return Promise.race([
    Promise.resolve(p),
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  ]);
}

/** The bundled server over stdio, with the flags and environment the extension gives it. */
export async function startServer(options: HarnessOptions): Promise<LspHarness> {
  if (!existsSync(SERVER) || !existsSync(CLI)) throw new Error('dist/ is missing: run the build first');
  // The server's memory depends on its environment (malloc arenas).
  Object.assign(process.env, LAUNCH.env);
  return LspHarness.start(
    options,
    process.env.AGENTGOV_FUZZ_IN_PROCESS
      ? undefined
      : [
          process.execPath,
          ...LAUNCH.execArgv,
          // AGENTGOV_FUZZ_CPU_PROF=<dir>: the server's CPU profile, written when it exits (where its thread went).
          ...(process.env.AGENTGOV_FUZZ_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AGENTGOV_FUZZ_CPU_PROF}`] : []),
          SERVER,
          '--stdio',
        ],
  );
}

/**
 * Hover, completion, document symbols and the inventory on the probe: each must answer within
 * ANSWER_MS, and none may hold a secret. Answers what it found wrong.
 */
export async function probeRequests(h: LspHarness, probe: string, where: string): Promise<void> {
  const pos = { line: 5, character: 20 };
  const doc = { textDocument: { uri: probe } };
  const hover = await within(ANSWER_MS, `hover ${where}`, h.client.sendRequest(HoverRequest.type, { ...doc, position: pos }));
  await within(ANSWER_MS, `completion ${where}`, h.client.sendRequest(CompletionRequest.type, { ...doc, position: pos }));
  await within(ANSWER_MS, `document symbols ${where}`, h.client.sendRequest(DocumentSymbolRequest.type, doc));
  const inventory = await within(ANSWER_MS, `agentgov/inventory ${where}`, h.client.sendRequest(InventoryRequest));
  // A slow answer is told with what held the server's thread meanwhile (the server keeps a list).
  const last = slowAnswers.at(-1);
  if (last && last.where.endsWith(where) && !last.longTasks) {
    const { longTasks } = await h.client.sendRequest(StatsRequest);
    last.longTasks = longTasks.map((t) => `${t.what.slice(0, 400)}: ${t.ms} ms`).join('; ');
  }
  const leak = leakedSecret(JSON.stringify([hover, inventory]));
  if (leak) throw new Error(`a secret in a hover or the inventory ${where}`);
}

/** Waits until the server has nothing left to publish, twice in a row, half a second apart. */
export async function settle(h: LspHarness): Promise<void> {
  for (let idle = 0; idle < 2;) {
    const stats = await within(60_000, 'settling', h.client.sendRequest(StatsRequest));
    idle = stats.pending === 0 ? idle + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A diagnostic as the CLI's JSON says it: position and message (help appended, as the server does). */
const asKey = (line: number, character: number, message: string) => `${line}:${character} ${message}`;

/**
 * Where the server's last published diagnostics differ from a fresh `agentgov check` of the
 * files on disk (every file the server ever published for, and every file the check reports):
 * empty when nothing is stale and nothing is lost. A secret in any diagnostic is a difference.
 */
export function differencesFromCheck(h: LspHarness): string[] {
  const run = spawnSync(process.execPath, [CLI, 'check', h.root, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const report = JSON.parse(run.stdout) as {
    findings: { file: string; message: string; help?: string; range: Diagnostic['range']; suppressed?: unknown }[];
  };
  const expected = new Map<string, string[]>();
  for (const f of report.findings) {
    // The JSON keeps suppressed findings (marked); the editor does not show them.
    if (f.suppressed) continue;
    const uri = h.uri(f.file);
    expected.set(uri, [
      ...(expected.get(uri) ?? []),
      asKey(f.range.start.line, f.range.start.character, f.help ? `${f.message}\nHelp: ${f.help}` : f.message),
    ]);
  }
  const differences: string[] = [];
  for (const uri of new Set([...expected.keys(), ...h.publishes.keys()])) {
    const got = (h.latest(uri)?.diagnostics ?? [])
      .map((d) => asKey(d.range.start.line, d.range.start.character, typeof d.message === 'string' ? d.message : d.message.value))
      .sort();
    const want = (expected.get(uri) ?? []).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      // What differs, not both lists: a file can hold hundreds of findings.
      const only = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).map((x) => x.slice(0, 300));
      differences.push(
        `${uri}: only the server ${JSON.stringify(only(got, want).slice(0, 5))}; only the check ${JSON.stringify(only(want, got).slice(0, 5))}`,
      );
    }
    if (leakedSecret(JSON.stringify(h.latest(uri) ?? ''))) differences.push(`${uri}: a secret in the diagnostics`);
  }
  return differences;
}

/** The server's memory, for the end-of-run line. */
export async function memoryLine(h: LspHarness, startRss: number): Promise<{ line: string; peakRssMB: number }> {
  const s = await within(ANSWER_MS * 5, 'agentgov/stats', h.client.sendRequest(StatsRequest));
  return {
    peakRssMB: s.peakRssMB,
    line: `RSS ${s.rssMB} MB at the end (main heap ${s.heapMB} MB in use of ${s.heapTotalMB}, external ${s.externalMB}, Cedar ${JSON.stringify(s.cedarMemory)}), peak ${s.peakRssMB} MB (at the start ${startRss} MB)`,
  };
}
