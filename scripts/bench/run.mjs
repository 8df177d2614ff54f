#!/usr/bin/env node
// `npm run bench`: the performance benchmark (see README "## Performance").
//
//   node scripts/bench/run.mjs [--runs N] [--quick] [--budget SECONDS] [--out FILE]
//
// Generates the two benchmark workspaces (scripts/bench/generate.mjs), then measures the CLI,
// bare cedar-wasm and the language server over stdio. Prints ONE JSON object on stdout and writes
// it to test-output/bench.json; progress goes to stderr. Every wait has a timeout: a measurement
// that cannot finish is `null` and explained in `errors`. Nothing touches the network.
//
// Runs: cheap measurements (startup) take 5 runs; the expensive ones (cold check, bare validate)
// take up to --runs each, but a run beyond the first is only started while the time budget
// (--budget, default 250 s, so the whole bench stays under 5 minutes) allows; `runs` in the output
// says how many each median is of.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(REPO, 'dist');
// The bench runs a snapshot of dist/ (copied at start, next to the repo's node_modules), so a
// rebuild during the run (other work on the same checkout) cannot change or break what is measured.
const SNAPSHOT = join(REPO, '.cache', 'bench', 'dist');
const CLI = join(SNAPSHOT, 'cli', 'agentgov.js');
const SERVER = join(SNAPSHOT, 'server', 'server.js');
// The server is started as the extension starts it (Node flags and environment, one file for both).
const LAUNCH = JSON.parse(readFileSync(join(REPO, 'server', 'src', 'lsp', 'launch.json'), 'utf8'));
const BARE = join(REPO, 'scripts', 'bench', 'bare-validate.cjs');
const BARE_AUTHORIZE = join(REPO, 'scripts', 'bench', 'bare-authorize.cjs');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const RUNS = Math.max(1, Number(opt('--runs', '3')) || 3);
const QUICK = flag('--quick');
const BUDGET_MS = Math.max(30, Number(opt('--budget', '250')) || 250) * 1000;
const OUT = resolve(REPO, opt('--out', join('test-output', 'bench.json')));
const POLICY_EDITS = QUICK ? 8 : 20;
/** As many tool edits as policy edits: of ten, the 95th percentile is the slowest one. */
const DESCRIPTION_EDITS = QUICK ? 4 : 20;
const INPUT_FIELD_EDITS = { declared: QUICK ? 4 : 20, derived: QUICK ? 4 : 20 };

const started = performance.now();
const elapsed = () => performance.now() - started;
const timeLeft = () => BUDGET_MS - elapsed();
const errors = [];
const log = (msg) => process.stderr.write(`bench ${(elapsed() / 1000).toFixed(1).padStart(6)}s  ${msg}\n`);
const fail = (where, msg) => {
  errors.push(`${where}: ${msg}`);
  log(`ERROR ${where}: ${msg}`);
};
const round = (x, d = 0) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
/** Nearest-rank percentile. */
const pct = (xs, p) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : null;
};
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : round(a / b, 3));

// ---------------------------------------------------------------- processes

/** Runs a command, returns wall ms (or null on timeout / unexpected exit) and its stdout. */
function timed(where, cmd, args, { timeoutMs = 120_000, okCodes = [0], cwd = REPO } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (r.error || r.signal) {
    fail(where, r.error ? r.error.message : `killed by ${r.signal} (timeout ${timeoutMs} ms)`);
    return { ms: null, stdout: r.stdout ?? '' };
  }
  if (!okCodes.includes(r.status)) {
    fail(where, `exit code ${r.status}: ${(r.stderr || '').trim().slice(0, 300)}`);
    return { ms: null, stdout: r.stdout ?? '' };
  }
  return { ms, stdout: r.stdout };
}

function header() {
  const git = (...a) => spawnSync('git', a, { cwd: REPO, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD').stdout.trim() || null;
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  const c = cpus();
  return {
    date: new Date().toISOString(),
    commit: head ? `${head}${dirty ? '-dirty' : ''}` : null,
    machine: { cpu: c[0]?.model ?? null, cores: c.length, memoryMB: Math.round(totalmem() / 1024 / 1024) },
    node: process.version,
    // The machine's 1-minute load average when the bench started (and ended, below): on a busy
    // machine every number is slower; compare runs made on an idle one.
    loadAverage: { start: round(loadavg()[0], 2), end: null },
    distBuilt: existsSync(join(DIST, 'server', 'server.js'))
      ? statSync(join(DIST, 'server', 'server.js')).mtime.toISOString()
      : null,
    serverLaunch: LAUNCH,
    runs: RUNS,
    quick: QUICK,
  };
}

// ---------------------------------------------------------------- LSP client over stdio

class LspClient {
  constructor(where, root) {
    this.where = where;
    this.root = root;
    this.nextId = 1;
    this.pending = new Map();
    this.diagnostics = []; // {uri, version, count, messages, t}
    this.checks = []; // agentgov/checked: {files, ms, t}
    this.listeners = new Set();
    this.buffer = Buffer.alloc(0);
    this.stderr = '';
    this.proc = spawn(process.execPath, [...LAUNCH.execArgv, SERVER, '--stdio'], {
      cwd: REPO,
      env: { ...process.env, ...LAUNCH.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((r) => this.proc.on('exit', (code, signal) => r({ code, signal })));
    this.proc.on('exit', (code, signal) => {
      this.dead = true;
      for (const [, p] of this.pending) p.reject(new Error(`server exited (${code ?? signal})`));
      this.pending.clear();
      this.notify();
    });
    this.proc.stdin.on('error', () => {});
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.proc.stdout.on('data', (d) => this.onData(d));
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'));
      if (!m) {
        this.buffer = this.buffer.subarray(end + 4);
        continue;
      }
      const len = Number(m[1]);
      if (this.buffer.length < end + 4 + len) return;
      const body = this.buffer.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + len);
      try {
        this.onMessage(JSON.parse(body));
      } catch (e) {
        fail(this.where, `bad message from server: ${e.message}`);
      }
    }
  }

  onMessage(msg) {
    const t = performance.now();
    if (msg.id !== undefined && msg.method) {
      // A request from the server.
      let result = null;
      if (msg.method === 'workspace/configuration') result = (msg.params?.items ?? []).map(() => ({ diagnosticsDelay: 0 }));
      this.write({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(msg.error.message));
        else p.resolve(msg.result);
      }
      return;
    }
    if (msg.method === 'agentgov/checked') {
      // The server says a check finished (files whose findings did not change are not re-sent).
      this.checks.push({ ...msg.params, t });
      this.notify();
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const d = msg.params;
      this.diagnostics.push({
        uri: d.uri,
        version: d.version ?? null,
        // Cedar's and the readers' diagnostics: the edits' expectations are about those; a policy
        // added or broken may also add or remove governance findings (AG…), counted apart.
        count: d.diagnostics.filter((x) => !/^AG\d/.test(String(x.code ?? ''))).length,
        governanceCount: d.diagnostics.filter((x) => /^AG\d/.test(String(x.code ?? ''))).length,
        messages: d.diagnostics.map((x) => x.message),
        t,
      });
      this.notify();
    }
  }

  notify() {
    for (const l of [...this.listeners]) l();
  }

  write(msg) {
    if (this.dead) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rej(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: (v) => (clearTimeout(timer), res(v)), reject: (e) => (clearTimeout(timer), rej(e)) });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notification(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the time the predicate became true (checked on every diagnostics message), or null after timeoutMs. */
  waitFor(what, predicate, timeoutMs) {
    return new Promise((res) => {
      const check = () => {
        if (predicate()) {
          done(performance.now());
          return true;
        }
        if (this.dead) {
          fail(this.where, `server exited while waiting for ${what}; stderr: ${this.stderr.trim().slice(-300)}`);
          done(null);
          return true;
        }
        return false;
      };
      const done = (v) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        res(v);
      };
      const timer = setTimeout(() => {
        fail(this.where, `timed out after ${timeoutMs} ms waiting for ${what}`);
        done(null);
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Time of the first diagnostics for uri (matching version when given) at or after index `from` that satisfy `test`. */
  diagnosticsAfter(from, uri, { version, test } = {}) {
    for (let i = from; i < this.diagnostics.length; i++) {
      const d = this.diagnostics[i];
      if (d.uri === uri && (version === undefined || d.version === version) && (!test || test(d))) return d;
    }
    return undefined;
  }

  peakRssMB() {
    try {
      const m = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? round(Number(m[1]) / 1024, 1) : null;
    } catch {
      return null;
    }
  }

  async close() {
    if (this.dead) return;
    try {
      await this.request('shutdown', null, 5000);
      this.notification('exit', null);
    } catch {
      /* killed below */
    }
    const gone = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    if (!gone) {
      this.proc.kill('SIGKILL');
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000))]);
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One language-server session over a generated workspace: first pass, edits, hover under load, RSS. */
async function serverSession(variant, meta) {
  const where = `server(${variant})`;
  const out = {
    serverFirstPass: null,
    policyEdit: null,
    bindingEdit: null,
    toolEditDescription: null,
    toolEditInputField: null,
    hoverWaitMax: null,
    hoverProbes: [],
    serverPeakRssMB: null,
  };
  const root = meta.root;
  const uri = (rel) => pathToFileURL(join(root, rel)).toString();
  const expected = new Set(meta.files.map(uri));
  const policyUris = new Set(meta.policyFiles.map(uri));
  const c = new LspClient(where, root);
  try {
    await c.request(
      'initialize',
      {
        processId: process.pid,
        rootUri: pathToFileURL(root).toString(),
        workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: variant }],
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
          textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } },
        },
      },
      30_000,
    );
    // First pass: from `initialized` until every checked file got its diagnostics.
    const seen = new Set();
    let idx = 0;
    const t0 = performance.now();
    c.notification('initialized', {});
    const tFirst = await c.waitFor(
      `first-pass diagnostics of all ${expected.size} files`,
      () => {
        for (; idx < c.diagnostics.length; idx++) if (expected.has(c.diagnostics[idx].uri)) seen.add(c.diagnostics[idx].uri);
        return seen.size >= expected.size;
      },
      120_000,
    );
    out.serverFirstPass = tFirst == null ? null : round(tFirst - t0);
    if (tFirst == null) out.firstPassFilesSeen = seen.size;
    log(`${variant}: server first pass ${out.serverFirstPass} ms (${seen.size}/${expected.size} files)`);
    if (c.dead) return out;

    // Policy edit: one open policy file; alternately add and remove a policy with a type error.
    const pUri = uri(meta.edit.policyFile);
    const pBase = readFileSync(join(root, meta.edit.policyFile), 'utf8');
    let version = 1;
    let from = c.diagnostics.length;
    c.notification('textDocument/didOpen', { textDocument: { uri: pUri, languageId: 'cedar', version, text: pBase } });
    await c.waitFor(
      `diagnostics of opened ${meta.edit.policyFile}`,
      () => c.diagnosticsAfter(from, pUri, { version: 1 }),
      60_000,
    );
    const baseCount = c.diagnosticsAfter(from, pUri, { version: 1 })?.count ?? 0;
    const policyTimes = [];
    for (let i = 1; i <= POLICY_EDITS; i++) {
      if (i > 3 && timeLeft() < 15_000) {
        log(`${variant}: policy edits stopped after ${i - 1} (time budget)`);
        break;
      }
      const withError = i % 2 === 1;
      version++;
      from = c.diagnostics.length;
      const v = version;
      const ts = performance.now();
      c.notification('textDocument/didChange', {
        textDocument: { uri: pUri, version: v },
        contentChanges: [{ text: withError ? `${pBase}\n${meta.edit.errorPolicy}` : pBase }],
      });
      const te = await c.waitFor(
        `diagnostics of ${meta.edit.policyFile} version ${v}`,
        () => c.diagnosticsAfter(from, pUri, { version: v }),
        60_000,
      );
      if (te == null) break;
      const d = c.diagnosticsAfter(from, pUri, { version: v });
      if (d.count !== baseCount + (withError ? 1 : 0))
        fail(where, `policy edit ${i}: expected ${baseCount + (withError ? 1 : 0)} diagnostics, got ${d.count}`);
      policyTimes.push(te - ts);
    }
    out.policyEdit = {
      n: policyTimes.length,
      p50: round(pct(policyTimes, 50)),
      p95: round(pct(policyTimes, 95)),
      max: round(Math.max(...policyTimes, -Infinity)),
    };
    if (!policyTimes.length) out.policyEdit = null;
    log(`${variant}: policy edit ${JSON.stringify(out.policyEdit)}`);

    // Binding edit: one open binding; its credential's TTL alternately 8h (AG006 fires) and back
    // to 15m. Every governance fact may depend on a binding, so this measures the rule pass.
    const bUri = uri(meta.edit.bindingFile);
    const bBase = readFileSync(join(root, meta.edit.bindingFile), 'utf8');
    if (!bBase.includes('ttl: 15m')) fail(where, `no "ttl: 15m" in ${meta.edit.bindingFile}`);
    version = 1;
    from = c.diagnostics.length;
    c.notification('textDocument/didOpen', { textDocument: { uri: bUri, languageId: 'yaml', version, text: bBase } });
    await c.waitFor(
      `diagnostics of opened ${meta.edit.bindingFile}`,
      () => c.diagnosticsAfter(from, bUri, { version: 1 }),
      60_000,
    );
    // AG006 is a governance finding: counted apart from Cedar's and the readers' (`governanceCount`).
    const bindingBaseCount = c.diagnosticsAfter(from, bUri, { version: 1 })?.governanceCount ?? 0;
    const bindingTimes = [];
    for (let i = 1; i <= POLICY_EDITS; i++) {
      if (i > 3 && timeLeft() < 15_000) {
        log(`${variant}: binding edits stopped after ${i - 1} (time budget)`);
        break;
      }
      const longLived = i % 2 === 1;
      version++;
      from = c.diagnostics.length;
      const v = version;
      const ts = performance.now();
      c.notification('textDocument/didChange', {
        textDocument: { uri: bUri, version: v },
        contentChanges: [{ text: longLived ? bBase.replace('ttl: 15m', 'ttl: 8h') : bBase }],
      });
      const te = await c.waitFor(
        `diagnostics of ${meta.edit.bindingFile} version ${v}`,
        () => c.diagnosticsAfter(from, bUri, { version: v }),
        60_000,
      );
      if (te == null) break;
      const d = c.diagnosticsAfter(from, bUri, { version: v });
      if (d.governanceCount !== bindingBaseCount + (longLived ? 1 : 0))
        fail(
          where,
          `binding edit ${i}: expected ${bindingBaseCount + (longLived ? 1 : 0)} governance diagnostics, got ${d.governanceCount}`,
        );
      bindingTimes.push(te - ts);
    }
    out.bindingEdit = bindingTimes.length
      ? {
          n: bindingTimes.length,
          p50: round(pct(bindingTimes, 50)),
          p95: round(pct(bindingTimes, 95)),
          max: round(Math.max(...bindingTimes)),
        }
      : null;
    log(`${variant}: binding edit ${JSON.stringify(out.bindingEdit)}`);

    // Tool edits in one open TypeScript tool file.
    const tUri = uri(meta.edit.tsFile);
    const tBase = readFileSync(join(root, meta.edit.tsFile), 'utf8');
    let tVersion = 1;
    from = c.diagnostics.length;
    c.notification('textDocument/didOpen', {
      textDocument: { uri: tUri, languageId: 'typescript', version: tVersion, text: tBase },
    });
    await c.waitFor(`diagnostics of opened ${meta.edit.tsFile}`, () => c.diagnosticsAfter(from, tUri, { version: 1 }), 60_000);

    const descRe = new RegExp(`('${meta.edit.descriptionTool}',\\s*\\{\\s*description: ')([^']*)'`);
    if (!descRe.test(tBase)) fail(where, `description of ${meta.edit.descriptionTool} not found in ${meta.edit.tsFile}`);
    const descTimes = [];
    for (let i = 1; i <= DESCRIPTION_EDITS && descRe.test(tBase); i++) {
      if (i > 2 && timeLeft() < 15_000) break;
      const v = ++tVersion;
      from = c.diagnostics.length;
      const text = i % 2 === 1 ? tBase.replace(descRe, (_, a, b) => `${a}${b} (bench edit ${i})'`) : tBase;
      const ts = performance.now();
      c.notification('textDocument/didChange', { textDocument: { uri: tUri, version: v }, contentChanges: [{ text }] });
      const te = await c.waitFor(
        `diagnostics of ${meta.edit.tsFile} version ${v}`,
        () => c.diagnosticsAfter(from, tUri, { version: v }),
        60_000,
      );
      if (te == null) break;
      descTimes.push(te - ts);
    }
    out.toolEditDescription = descTimes.length
      ? {
          n: descTimes.length,
          p50: round(pct(descTimes, 50)),
          p95: round(pct(descTimes, 95)),
          max: round(Math.max(...descTimes)),
        }
      : null;
    log(`${variant}: tool description edit ${JSON.stringify(out.toolEditDescription)}`);

    // Input field: add `note: z.string()` to one tool (and remove it again).
    const inRe = new RegExp(`('${meta.edit.inputFieldTool}',[\\s\\S]*?inputSchema: \\{ )`);
    if (!inRe.test(tBase)) fail(where, `inputSchema of ${meta.edit.inputFieldTool} not found in ${meta.edit.tsFile}`);
    const nUri = uri(meta.edit.notePolicyFile);
    const hasNoteError = (d) => d.messages.some((m) => m.includes('note'));
    const fieldTimes = [];
    const n = INPUT_FIELD_EDITS[variant];
    for (let i = 1; i <= n && inRe.test(tBase); i++) {
      if (i > 2 && timeLeft() < 15_000) break;
      // Derived: adds and removes alternate; the first add re-validates the whole-schema policies too.
      if (i > 1 && meta.edit.notePolicyPresent && timeLeft() < 20_000) break;
      const add = i % 2 === 1;
      const v = ++tVersion;
      from = c.diagnostics.length;
      const text = add ? tBase.replace(inRe, '$1note: z.string(), ') : tBase;
      const hover =
        i === 1 && meta.edit.notePolicyPresent
          ? hoverProbe(
              c,
              pUri,
              pBase,
              from,
              policyUris,
              `input-field edit of ${meta.edit.inputFieldTool} (re-validates every policy against the new derived schema)`,
            )
          : undefined;
      const ts = performance.now();
      c.notification('textDocument/didChange', { textDocument: { uri: tUri, version: v }, contentChanges: [{ text }] });
      let te;
      if (meta.edit.notePolicyPresent) {
        // The policy on context.input.note: error before the field exists, none after.
        te = await c.waitFor(
          `${meta.edit.notePolicyFile} to ${add ? 'lose' : 'regain'} its context.input.note error`,
          () => c.diagnosticsAfter(from, nUri, { test: (d) => hasNoteError(d) !== add }),
          90_000,
        );
      } else {
        te = await c.waitFor(
          `diagnostics of ${meta.edit.tsFile} version ${v}`,
          () => c.diagnosticsAfter(from, tUri, { version: v }),
          60_000,
        );
      }
      if (hover) out.hoverProbes.push(await hover);
      if (te == null) break;
      fieldTimes.push(te - ts);
    }
    out.toolEditInputField = fieldTimes.length
      ? {
          n: fieldTimes.length,
          p50: round(pct(fieldTimes, 50)),
          p95: round(pct(fieldTimes, 95)),
          max: round(Math.max(...fieldTimes)),
          // Each edit's time, in order: the first add is the one that meets a new schema.
          all: fieldTimes.map((t) => round(t)),
          waitedFor: meta.edit.notePolicyPresent ? meta.edit.notePolicyFile : meta.edit.tsFile,
        }
      : null;
    log(`${variant}: tool input-field edit ${JSON.stringify(out.toolEditInputField)}`);

    if (timeLeft() > 30_000) {
      // A schema edit re-validates every policy; hover meanwhile.
      const sUri = uri(meta.schemaFile);
      const sBase = readFileSync(join(root, meta.schemaFile), 'utf8');
      from = c.diagnostics.length;
      c.notification('textDocument/didOpen', { textDocument: { uri: sUri, languageId: 'cedarschema', version: 1, text: sBase } });
      await c.waitFor('diagnostics of the opened schema', () => c.diagnosticsAfter(from, sUri, { version: 1 }), 60_000);
      await sleep(100);
      from = c.diagnostics.length;
      const hover = hoverProbe(c, pUri, pBase, from, policyUris, 'schema edit (a new entity type: every policy is re-validated)');
      c.notification('textDocument/didChange', {
        textDocument: { uri: sUri, version: 2 },
        contentChanges: [{ text: `entity BenchExtra;\n${sBase}` }],
      });
      out.hoverProbes.push(await hover);
    } else fail(where, 'hover during the schema edit skipped (time budget)');
    const maxima = out.hoverProbes.map((h) => h.max).filter((x) => x != null);
    out.hoverWaitMax = maxima.length ? Math.max(...maxima) : null;
    log(`${variant}: hover under load ${JSON.stringify(out.hoverProbes)}`);
    out.serverPeakRssMB = c.peakRssMB();
    // The access matrix as the editor asks for it (`agentgov/accessMatrix`): once right after the
    // last edit settled (what was not decided yet is decided now, in the workers), then again after
    // the server's quiet-time warm-up (server.ts `warmMatrixWhenQuiet`): what opening the matrix costs.
    const matrix = async () => {
      const t0 = performance.now();
      const m = await c.request('agentgov/accessMatrix', { all: false }, 120_000);
      const ms = performance.now() - t0;
      return {
        cells: m.cells.length,
        requests: m.requests,
        ms: round(ms),
        requestsPerSecond: Math.round(m.requests / (ms / 1000)),
      };
    };
    out.matrixInEditorAfterEdit = await matrix();
    // A policy edit that re-decides the pairs of the actions it names, then the editor is quiet.
    c.notification('textDocument/didChange', {
      textDocument: { uri: pUri, version: 900 },
      contentChanges: [{ text: `${pBase}\n${meta.edit.errorPolicy}` }],
    });
    await sleep(5_000);
    out.matrixInEditorWarm = await matrix();
    log(`${variant}: matrix in the editor ${JSON.stringify([out.matrixInEditorAfterEdit, out.matrixInEditorWarm])}`);
  } catch (e) {
    fail(where, e.message);
    out.serverPeakRssMB ??= c.peakRssMB();
  } finally {
    await c.close();
  }
  return out;
}

/**
 * While a re-check of every policy runs, hovers over the action of the first policy of the open
 * policy file: the next hover goes out 20 ms after the previous one was sent, or when it was
 * answered if that took longer. Ends when every policy file has been re-published after `from`.
 */
async function hoverProbe(c, pUri, pText, from, policyUris, trigger) {
  const lines = pText.split('\n');
  const line = lines.findIndex((l) => l.includes('Action::"'));
  const character = line < 0 ? 0 : lines[line].indexOf('Action::"') + 3;
  // Finished when the server says its re-check is done (files whose findings did not change are
  // not re-published), or when every policy file was re-published.
  const checksBefore = c.checks.length;
  const republished = () => {
    if (c.checks.length > checksBefore) return true;
    const s = new Set();
    for (let i = from; i < c.diagnostics.length; i++) if (policyUris.has(c.diagnostics[i].uri)) s.add(c.diagnostics[i].uri);
    return s.size >= policyUris.size;
  };
  let finished = false;
  const end = c
    .waitFor(`the end of the re-check of all ${policyUris.size} policy files (${trigger})`, republished, 90_000)
    .then((t) => {
      finished = true;
      return t;
    });
  const latencies = [];
  let answered = 0;
  await sleep(5);
  const tStart = performance.now();
  while (!finished && !c.dead) {
    const ts = performance.now();
    try {
      const r = await c.request('textDocument/hover', { textDocument: { uri: pUri }, position: { line, character } }, 30_000);
      if (r) answered++;
    } catch (e) {
      fail('hover', e.message);
      break;
    }
    latencies.push(performance.now() - ts);
    const wait = 20 - (performance.now() - ts);
    if (wait > 0) await sleep(wait);
  }
  const tEnd = await end;
  return {
    trigger,
    n: latencies.length,
    answered,
    max: latencies.length ? round(Math.max(...latencies)) : null,
    p50: round(pct(latencies, 50)),
    recheckMs: tEnd == null ? null : round(tEnd - tStart),
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const result = { bench: 'agentgov', ...header() };
  log(`runs ${RUNS}${QUICK ? ' (quick)' : ''}, budget ${BUDGET_MS / 1000} s`);
  // Always the sources as they are: a stale dist/ would measure other code (--no-build skips).
  if (!flag('--no-build') || !existsSync(join(DIST, 'cli', 'agentgov.js')) || !existsSync(join(DIST, 'server', 'server.js'))) {
    log('building dist/');
    timed('build', process.execPath, ['scripts/build.mjs'], { timeoutMs: 180_000 });
    result.distBuilt = existsSync(join(DIST, 'server', 'server.js'))
      ? statSync(join(DIST, 'server', 'server.js')).mtime.toISOString()
      : null;
  }
  rmSync(SNAPSHOT, { recursive: true, force: true });
  for (const part of ['cli', 'server'])
    cpSync(join(DIST, part), join(SNAPSHOT, part), { recursive: true, filter: (src) => !src.endsWith('.map') });
  log(`dist/ (built ${result.distBuilt}) copied to ${SNAPSHOT}`);

  const cache = join(REPO, '.cache', 'bench');
  const metas = {};
  for (const v of ['declared', 'derived']) {
    metas[v] = generate(v, join(cache, v));
    log(`generated ${v}: ${metas[v].files.length} files, ${metas[v].tools} tools, ${metas[v].policies} policies`);
  }
  const empty = join(cache, 'empty');
  mkdirSync(empty, { recursive: true });

  // Startup: 5 runs each.
  const five = (where, args, okCodes) => {
    const xs = [];
    for (let i = 0; i < 5; i++) xs.push(timed(where, process.execPath, args, { timeoutMs: 60_000, okCodes }).ms);
    return median(xs);
  };
  const bareLoad = five('bareLoad', ['-e', "require('@cedar-policy/cedar-wasm/nodejs')"]);
  const startupEmpty = five('startupEmpty', [CLI, 'check', empty, '--format', 'json'], [0]);
  const startupExamples = five('startupExamples', [CLI, 'check', join(REPO, 'examples'), '--format', 'json'], [0, 1]);
  log(`startup: bareLoad ${round(bareLoad)} ms, empty ${round(startupEmpty)} ms, examples ${round(startupExamples)} ms`);

  const variants = {};
  const cold = { declared: [], derived: [] };
  const bare = { declared: [], derived: [] };
  const coldCheck = (v) => {
    const r = timed(`coldCheck(${v})`, process.execPath, [CLI, 'check', metas[v].root, '--format', 'json'], {
      timeoutMs: 150_000,
      okCodes: [0, 1],
    });
    if (r.ms != null) {
      try {
        const j = JSON.parse(r.stdout);
        variants[v].checkSummary = j.summary;
        if (j.summary.files !== metas[v].files.length)
          fail(`coldCheck(${v})`, `checked ${j.summary.files} files, generated ${metas[v].files.length}`);
        if (j.summary.tools !== metas[v].tools)
          fail(`coldCheck(${v})`, `found ${j.summary.tools} tools, generated ${metas[v].tools}`);
      } catch (e) {
        fail(`coldCheck(${v})`, `unreadable JSON: ${e.message}`);
      }
    }
    cold[v].push(r.ms);
    log(`${v}: cold check ${round(r.ms)} ms`);
  };
  const bareValidate = (v, files = metas[v].policyFiles) => {
    const r = timed(
      `bareValidate(${v})`,
      process.execPath,
      [BARE, metas[v].validationSchema, ...files.map((f) => join(metas[v].root, f))],
      { timeoutMs: 150_000 },
    );
    if (r.ms == null) return null;
    try {
      return JSON.parse(r.stdout);
    } catch (e) {
      fail(`bareValidate(${v})`, e.message);
      return null;
    }
  };
  /**
   * `agentgov matrix` (its `--stats`: two requests a cell, timed from the pairs asked to the cells
   * made) and bare `statefulIsAuthorized` over the same policies and requests, each in a fresh process.
   */
  const matrixBench = (v) => {
    const r = spawnSync(process.execPath, [CLI, 'matrix', metas[v].root, '--format', 'json', '--stats'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 150_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) return fail(`matrix(${v})`, `exit ${r.status ?? r.signal}: ${(r.stderr || '').slice(0, 300)}`);
    try {
      const stats = JSON.parse(r.stderr.trim().split('\n').pop());
      const file = join(cache, `${v}.matrix.json`);
      writeFileSync(file, r.stdout);
      const bare = JSON.parse(
        timed(`bareAuthorize(${v})`, process.execPath, [
          BARE_AUTHORIZE,
          file,
          ...metas[v].policyFiles.map((f) => join(metas[v].root, f)),
        ]).stdout,
      );
      return { ...stats, bareRequestsPerSecond: bare.requestsPerSecond };
    } catch (e) {
      return fail(`matrix(${v})`, e.message);
    }
  };
  for (const v of ['declared', 'derived']) {
    variants[v] = {};
    coldCheck(v);
    variants[v].matrix = matrixBench(v) ?? null;
    log(`${v}: matrix ${JSON.stringify(variants[v].matrix)}`);
    const b = bareValidate(v);
    bare[v].push(b);
    log(`${v}: bare validate ${JSON.stringify(b)}`);
    // Baselines for the edits: one policy file against the full schema, in a fresh process each.
    variants[v].bareValidateEditedPolicyFile = round(bareValidate(v, [metas[v].edit.policyFile])?.validateMs);
    variants[v].bareValidateNotePolicyFile = round(bareValidate(v, [metas[v].edit.notePolicyFile])?.validateMs);
  }
  for (const v of ['declared', 'derived']) Object.assign(variants[v], await serverSession(v, metas[v]));

  // More runs of the expensive measurements while the budget allows.
  for (let run = 2; run <= RUNS; run++) {
    for (const v of ['declared', 'derived']) {
      const need = (median(cold[v]) ?? 30_000) + (median(bare[v].map((b) => b?.validateMs)) ?? 20_000) + 10_000;
      if (timeLeft() < need) {
        log(`${v}: run ${run} skipped (time budget)`);
        continue;
      }
      coldCheck(v);
      bare[v].push(bareValidate(v));
    }
  }

  for (const v of ['declared', 'derived']) {
    const s = variants[v];
    s.coldCheck = round(median(cold[v]));
    s.coldCheckRuns = cold[v].filter((x) => x != null).length;
    const bs = bare[v].filter(Boolean);
    s.bareValidate = round(median(bs.map((b) => b.validateMs)));
    s.bareValidateLoad = round(median(bs.map((b) => b.loadMs)));
    s.bareValidateRuns = bs.length;
    s.bareValidateFindings = bs[0] ? { errors: bs[0].errors, warnings: bs[0].warnings } : null;
    s.bareValidateSchema =
      v === 'declared'
        ? 'the workspace schema (1,000 declared tool actions)'
        : `${v}.equivalent.cedarschema: the workspace schema plus the 1,000 actions the server derives from the tools`;
    s.ratios = {
      coldCheckOverBareValidate: ratio(s.coldCheck, s.bareValidate),
      firstPassOverColdCheck: ratio(s.serverFirstPass, s.coldCheck),
      policyEditP95OverBareFile: ratio(s.policyEdit?.p95, s.bareValidateEditedPolicyFile),
      toolEditDescriptionP95OverBareFile: ratio(s.toolEditDescription?.p95, s.bareValidateNotePolicyFile),
      toolEditInputFieldP95OverBareFile: ratio(s.toolEditInputField?.p95, s.bareValidateNotePolicyFile),
      matrixOverBareAuthorize: ratio(s.matrix?.requestsPerSecond, s.matrix?.bareRequestsPerSecond),
      matrixInEditorAfterEditOverBareAuthorize: ratio(
        s.matrixInEditorAfterEdit?.requestsPerSecond,
        s.matrix?.bareRequestsPerSecond,
      ),
      matrixInEditorWarmOverBareAuthorize: ratio(s.matrixInEditorWarm?.requestsPerSecond, s.matrix?.bareRequestsPerSecond),
    };
    const b = (value, limit, pass) => ({ value, limit, pass: value == null ? null : pass });
    s.budgets = {
      coldCheckOverBareValidate: b(s.ratios.coldCheckOverBareValidate, 0.5, s.ratios.coldCheckOverBareValidate <= 0.5),
      firstPassOverColdCheck: b(s.ratios.firstPassOverColdCheck, 1.0, s.ratios.firstPassOverColdCheck <= 1.0),
      policyEditP95Ms: b(s.policyEdit?.p95 ?? null, 100, s.policyEdit?.p95 <= 100),
      // Not in DEVELOPERS.md: held to the policy edit's budget, as one line of configuration.
      bindingEditP95Ms: b(s.bindingEdit?.p95 ?? null, 100, s.bindingEdit?.p95 <= 100),
      toolEditDescriptionP95Ms: b(s.toolEditDescription?.p95 ?? null, 150, s.toolEditDescription?.p95 <= 150),
      toolEditInputFieldP95Ms: b(s.toolEditInputField?.p95 ?? null, 150, s.toolEditInputField?.p95 <= 150),
      hoverWaitMaxMs: b(s.hoverWaitMax, 100, s.hoverWaitMax <= 100),
      serverPeakRssMB: b(s.serverPeakRssMB, 400, s.serverPeakRssMB <= 400),
      // DEVELOPERS.md: the access matrix at >= 10,000 requests/s, as the editor opens it (the
      // server decided it while quiet). The cold CLI figure (`matrix`) is reported beside it.
      matrixInEditorRequestsPerSecond: b(
        s.matrixInEditorWarm?.requestsPerSecond ?? null,
        10_000,
        s.matrixInEditorWarm?.requestsPerSecond >= 10_000,
      ),
    };
  }
  result.startup = {
    bareLoad: round(bareLoad),
    startupEmpty: round(startupEmpty),
    startupExamples: round(startupExamples),
    runs: 5,
    ratios: {
      startupEmptyOverBareLoad: ratio(startupEmpty, bareLoad),
      startupExamplesOverBareLoad: ratio(startupExamples, bareLoad),
    },
  };
  result.variants = variants;
  const all = {};
  for (const v of ['declared', 'derived']) for (const [k, x] of Object.entries(variants[v].budgets)) all[`${v}.${k}`] = x;
  all.startupEmptyOverBareLoad = {
    value: result.startup.ratios.startupEmptyOverBareLoad,
    limit: 2,
    pass: result.startup.ratios.startupEmptyOverBareLoad == null ? null : result.startup.ratios.startupEmptyOverBareLoad <= 2,
  };
  all.startupExamplesOverBareLoad = {
    value: result.startup.ratios.startupExamplesOverBareLoad,
    limit: 4,
    pass:
      result.startup.ratios.startupExamplesOverBareLoad == null ? null : result.startup.ratios.startupExamplesOverBareLoad <= 4,
  };
  result.budgets = all;
  const vals = Object.values(all);
  result.budgetSummary = {
    passed: vals.filter((x) => x.pass === true).length,
    failed: vals.filter((x) => x.pass === false).length,
    notMeasured: vals.filter((x) => x.pass == null).length,
  };
  result.loadAverage.end = round(loadavg()[0], 2);
  result.totalSeconds = round(elapsed() / 1000, 1);
  result.errors = errors;
  const text = JSON.stringify(result, null, 2);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text + '\n');
  process.stdout.write(text + '\n');
  log(
    `done in ${result.totalSeconds} s: ${result.budgetSummary.passed} budgets passed, ${result.budgetSummary.failed} failed, ${result.budgetSummary.notMeasured} not measured; written to ${OUT}`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
