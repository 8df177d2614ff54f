#!/usr/bin/env node
// `npm run test:e2e`: end-to-end tests of the packaged extension in a real VS Code.
//
// - Desktop VS Code when one is available (env VSCODE_EXECUTABLE, or `code` on PATH):
//   @vscode/test-electron runTests() with the suite of test/e2e/suite.
// - Otherwise code-server (the real workbench and Node extension host, installed once into
//   .cache/code-server/), driven by Debian's Chromium through playwright-core: the .vsix is built,
//   installed with --install-extension into a fresh extensions dir, and the suite runs in the
//   extension host through the `payload` of the workbench URL. See notes/real-editor-testing.md.
//
// Output under test-output/e2e/: results.json, suite.log, screenshots/*.png, run/ (per-run dirs
// and logs). Exits with the suite's code; fails loudly (never skips) when it cannot run.
// Env: AGENTGOV_E2E_HOST=code-server|electron (force a host), AGENTGOV_E2E_TIMEOUT_MS (overall
// suite timeout, default 600000), AGENTGOV_E2E_LSP_TIMEOUT_MS (per answer of the
// language server, default 20000), AGENTGOV_E2E_GREP (mocha grep), AGENTGOV_E2E_KEEP_BROWSER_LOG=1.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  createWriteStream,
  openSync,
  readSync,
  closeSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2ESetupError, checkAptPackages, ensureCodeServer, CODE_SERVER_VERSION } from './code-server.mjs';
import { checkPackagedFiles, listVsix, packageVsix } from '../../scripts/package.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-output', 'e2e');
const RUN = join(OUT, 'run');
const SUITE_OUT = join(OUT, 'suite');
const SHOTS = join(OUT, 'screenshots');
const WORKSPACE = join(ROOT, 'examples');
const VSIX = join(OUT, 'cedar-agent-governance.vsix');
const EXTENSION_ID = 'agentgov.cedar-agent-governance';
const TIMEOUT_MS = Number(process.env.AGENTGOV_E2E_TIMEOUT_MS ?? 600_000);
const CHROMIUM = '/usr/bin/chromium';

const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const fail = (msg) => {
  throw new E2ESetupError(msg);
};

/** Checks done by the launcher itself; added to results.json next to the suite's tests. */
const launcherTests = [];
function launcherCheck(title, fn) {
  const t0 = Date.now();
  try {
    fn();
    launcherTests.push({ title: `launcher ${title}`, state: 'passed', durationMs: Date.now() - t0 });
    log(`  ✔ launcher ${title}`);
  } catch (e) {
    launcherTests.push({ title: `launcher ${title}`, state: 'failed', durationMs: Date.now() - t0, error: e.message });
    log(`  ✘ launcher ${title}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- preparation (both hosts)

function prepareOutput() {
  for (const p of [RUN, SUITE_OUT, SHOTS, join(OUT, 'tmp')]) rmSync(p, { recursive: true, force: true });
  for (const f of existsSync(OUT) ? readdirSync(OUT) : []) {
    if (/^(ready-|done-)|^results\.json$|^suite\.log$|^screenshot-server\.json$/.test(f)) rmSync(join(OUT, f), { force: true });
  }
  for (const p of [RUN, SUITE_OUT, SHOTS]) mkdirSync(p, { recursive: true });
}

async function compileSuite() {
  const esbuild = await import('esbuild');
  const dir = join(ROOT, 'test', 'e2e', 'suite');
  const entryPoints = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
  if (!entryPoints.some((f) => f.endsWith('index.ts'))) fail(`E2E: ${dir}/index.ts missing`);
  // One CJS file per module, not bundled: the tests share helpers.js (one module instance);
  // `vscode` comes from the extension host, `mocha` from the repository's node_modules.
  await esbuild.build({
    entryPoints,
    outdir: SUITE_OUT,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  log(`suite compiled: ${entryPoints.length} modules -> ${SUITE_OUT}`);
  return join(SUITE_OUT, 'index.js');
}

async function buildVsix() {
  log('packaging the extension (production build + vsce)');
  await packageVsix({ out: VSIX, log });
  launcherCheck('the .vsix holds the bundles, wasm and grammars, and no sources, node_modules, sourcemaps or CLI', () => {
    const files = listVsix(VSIX);
    const problems = checkPackagedFiles(files);
    if (problems.length) throw new Error(problems.join('; '));
    for (const must of ['extension/dist/server/cedar_wasm_bg.wasm']) {
      if (!files.includes(must.slice('extension/'.length))) throw new Error(`missing ${must}`);
    }
  });
}

function checkExamples() {
  if (!existsSync(join(WORKSPACE, 'agent-platform.cedarschema'))) {
    fail(`E2E: the demo workspace is missing: ${join(WORKSPACE, 'agent-platform.cedarschema')}`);
  }
}

/** Reads the suite's results.json, adds the launcher's checks, prints a summary; returns the exit code. */
function finish(suiteExitCode, host) {
  const file = join(OUT, 'results.json');
  let results;
  if (existsSync(file)) {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    log(`E2E: FAILED: the suite wrote no ${file} (it did not run, or crashed before its end)`);
    results = {
      passed: 0,
      failed: 1,
      tests: [
        {
          title: 'suite ran in the extension host and wrote results.json',
          state: 'failed',
          durationMs: 0,
          error: 'no results.json',
        },
      ],
      suiteDidNotReport: true,
    };
  }
  results.tests = [...launcherTests, ...results.tests];
  results.passed = results.tests.filter((t) => t.state === 'passed').length;
  results.failed = results.tests.filter((t) => t.state === 'failed').length;
  results.host = host;
  results.totalMs = Date.now() - started;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.metrics ?? {};
  log(
    `results: ${results.passed} passed, ${results.failed} failed (suite ${results.durationMs ?? '?'} ms, total ${results.totalMs} ms) -> ${file}`,
  );
  if (m.activateCallMs !== undefined)
    log(
      `activation: activate() ${m.activateCallMs} ms, extension host uptime at activation ${m.extensionHostUptimeAtActiveMs} ms`,
    );
  for (const t of results.tests.filter((t) => t.state === 'failed')) log(`  FAILED ${t.title}: ${t.error}`);
  const code = suiteExitCode !== 0 || results.failed > 0 || results.suiteDidNotReport || results.complete === false ? 1 : 0;
  if (results.complete === false) log('E2E: the suite did not complete (results.json holds the tests run so far)');
  log(code === 0 ? 'E2E: PASSED' : `E2E: FAILED (suite exit code ${suiteExitCode})`);
  return code;
}

// ---------------------------------------------------------------- desktop VS Code (test-electron)

function findDesktopVSCode() {
  if (process.env.AGENTGOV_E2E_HOST === 'code-server') return undefined;
  if (process.env.VSCODE_EXECUTABLE) {
    if (!existsSync(process.env.VSCODE_EXECUTABLE))
      fail(`E2E: VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE} does not exist`);
    return process.env.VSCODE_EXECUTABLE;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'code');
    // code-server's own remote CLI is called `code` too; only a desktop VS Code will do.
    if (dir && existsSync(p) && !p.includes('code-server') && !p.includes('.vscode-server')) return p;
  }
  if (process.env.AGENTGOV_E2E_HOST === 'electron') fail('E2E: AGENTGOV_E2E_HOST=electron but no VS Code: set VSCODE_EXECUTABLE');
  return undefined;
}

async function runDesktop(vscodeExecutablePath, extensionTestsPath) {
  const { runTests } = await import('@vscode/test-electron');
  // Test the packaged extension: unpack the .vsix and use its `extension/` folder.
  const unpacked = join(RUN, 'unpacked');
  const r = spawnSync('unzip', ['-q', VSIX, '-d', unpacked], { stdio: 'inherit' });
  if (r.status !== 0) fail(`E2E: could not unzip ${VSIX}`);
  log(`running the suite in desktop VS Code: ${vscodeExecutablePath}`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: join(unpacked, 'extension'),
      extensionTestsPath,
      extensionTestsEnv: { AGENTGOV_E2E_OUT: OUT, AGENTGOV_E2E_ROOT: ROOT },
      launchArgs: [
        WORKSPACE,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        join(RUN, 'user'),
        '--extensions-dir',
        join(RUN, 'ext'),
      ],
    });
    return 0;
  } catch (e) {
    log(`desktop VS Code run failed: ${e?.message ?? e}`);
    return 1;
  }
}

// ---------------------------------------------------------------- code-server + Chromium

const started_pids = new Set();

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** pid -> {ppid, pgrp} of every process, from /proc. */
function processTable() {
  const table = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(d), { ppid: Number(fields[1]), pgrp: Number(fields[2]) });
    } catch {
      /* gone */
    }
  }
  return table;
}

/** Every descendant of `pid` and every member of its process group (by PID). */
function processTree(pid) {
  const table = processTable();
  const out = new Set();
  for (const [p, { pgrp }] of table) if (pgrp === pid) out.add(p);
  let grew = true;
  out.add(pid);
  while (grew) {
    grew = false;
    for (const [p, { ppid }] of table) {
      if (out.has(ppid) && !out.has(p)) {
        out.add(p);
        grew = true;
      }
    }
  }
  return [...out].filter((p) => table.has(p));
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ends `rootPid`, its process group and all its descendants (a snapshot taken before killing). */
async function killTree(rootPid, name) {
  const pids = processTree(rootPid);
  for (const p of pids) started_pids.add(p);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const t0 = Date.now();
  while (pids.some(alive) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
  // Anything still running (or forked meanwhile): SIGKILL, by PID.
  const rest = [...new Set([...pids, ...processTree(rootPid)])].filter(alive);
  for (const p of rest) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  log(`stopped ${name}: ${pids.length} processes${rest.length ? ` (${rest.length} needed SIGKILL)` : ''}`);
}

function runDirs() {
  const d = {
    user: join(RUN, 'user'),
    ext: join(RUN, 'ext'),
    browser: join(RUN, 'browser-profile'),
    tmp: join(RUN, 'tmp'),
    xdgConfig: join(RUN, 'xdg', 'config'),
    xdgData: join(RUN, 'xdg', 'data'),
    xdgCache: join(RUN, 'xdg', 'cache'),
    xdgState: join(RUN, 'xdg', 'state'),
    xdgRuntime: join(RUN, 'xdg', 'runtime'),
  };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true, mode: 0o700 });
  return d;
}

function codeServerEnv(d) {
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: d.xdgConfig,
    XDG_DATA_HOME: d.xdgData,
    XDG_CACHE_HOME: d.xdgCache,
    XDG_STATE_HOME: d.xdgState,
    XDG_RUNTIME_DIR: d.xdgRuntime,
    TMPDIR: d.tmp,
    AGENTGOV_E2E_OUT: OUT,
    AGENTGOV_E2E_ROOT: ROOT,
  };
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to an editor this launcher runs inside of
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

function writeUserSettings(d) {
  mkdirSync(join(d.user, 'User'), { recursive: true });
  writeFileSync(
    join(d.user, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'files.autoSave': 'off',
        'files.hotExit': 'off',
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'git.enabled': false,
        'chat.disableAIFeatures': true,
        'editor.hover.delay': 100,
        'window.zoomLevel': 0,
      },
      null,
      2,
    ),
  );
}

function installVsix(bin, d) {
  log(`installing ${VSIX} into ${d.ext}`);
  const r = spawnSync(
    process.execPath,
    [bin, '--user-data-dir', d.user, '--extensions-dir', d.ext, '--install-extension', VSIX],
    {
      env: codeServerEnv(d),
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  writeFileSync(join(RUN, 'install-extension.log'), `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  if (r.status !== 0) fail(`E2E: code-server --install-extension failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  const dir = readdirSync(d.ext).find((f) => f.toLowerCase().startsWith(`${EXTENSION_ID}-`));
  if (!dir) fail(`E2E: ${EXTENSION_ID} not found in ${d.ext} after --install-extension: ${readdirSync(d.ext).join(', ')}`);
  const path = join(d.ext, dir);
  launcherCheck('the installed extension folder holds the bundles and no sources', () => {
    for (const f of ['package.json', 'dist/client/extension.js', 'dist/server/server.js', 'dist/server/cedar_wasm_bg.wasm']) {
      if (!existsSync(join(path, f))) throw new Error(`missing ${f}`);
    }
    for (const f of ['client', 'server', 'node_modules', 'test'])
      if (existsSync(join(path, f))) throw new Error(`unexpected ${f}/`);
  });
  log(`installed: ${path}`);
  return path;
}

async function waitHttp(url, timeoutMs, isAlive) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    if (!isAlive()) fail(`E2E: code-server exited before it served ${url}; see ${join(RUN, 'code-server.log')}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`E2E: code-server did not answer ${url} within ${timeoutMs} ms (${last})`);
}

/** Prints the lines the suite appends to suite.log (it runs in another process). */
function tailSuiteLog() {
  const file = join(OUT, 'suite.log');
  let pos = 0;
  let partial = '';
  return () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < pos) pos = 0;
    if (size === pos) return;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(size - pos);
    readSync(fd, buf, 0, buf.length, pos);
    closeSync(fd);
    pos = size;
    const text = partial + buf.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop();
    for (const l of lines) log(`suite | ${l}`);
  };
}

async function serveScreenshots(page, state) {
  for (const f of readdirSync(OUT).filter((f) => /^ready-.+\.json$/.test(f))) {
    const readyFile = join(OUT, f);
    let req;
    try {
      req = JSON.parse(readFileSync(readyFile, 'utf8'));
    } catch {
      continue; // being written
    }
    rmSync(readyFile, { force: true });
    const name = String(req.name).replace(/[^\w.-]/g, '_');
    const reply = { status: 'ok' };
    try {
      // Webviews (a result panel, the matrix) are nested iframes: with `inWebview`, the selectors
      // of the request (wait, text, click) are looked up in every frame of the page.
      if (req.inWebview) {
        const where = await webviewFrameWith(
          page,
          req.waitForSelector ?? req.click?.selector ?? req.captureText,
          req.click?.hasText,
        );
        if (!where)
          throw new Error(`no webview frame shows ${req.waitForSelector ?? req.click?.selector ?? req.captureText} within 15 s`);
        await page.waitForTimeout(300); // the webview's own paint
        await page.screenshot({ path: join(SHOTS, `${name}.png`) });
        if (req.captureText)
          reply.text = (
            await where
              .locator(req.captureText)
              .allInnerTexts()
              .catch(() => [])
          ).join('\u241E');
        if (req.click) {
          const target = where
            .locator(req.click.selector)
            .filter(req.click.hasText ? { hasText: req.click.hasText } : {})
            .first();
          await target.click({ timeout: 5_000 });
          reply.clicked = true;
        }
        log(`screenshot ${name} (webview): ${join(SHOTS, `${name}.png`)}`);
        state.shots.push(name);
        writeFileSync(join(OUT, `done-${name}`), JSON.stringify(reply));
        continue;
      }
      if (req.waitForSelector) {
        try {
          await page.waitForSelector(req.waitForSelector, { state: 'visible', timeout: 10_000 });
          // Let fade-in animations (hover, panels) finish so the picture is not half transparent.
          await page
            .waitForFunction(
              (sel) => {
                const el = document.querySelector(sel);
                const box = el?.closest('.monaco-hover, .pane-body, .part') ?? el;
                return !!box && box.getAnimations({ subtree: true }).every((a) => a.playState !== 'running');
              },
              req.waitForSelector,
              { timeout: 3_000 },
            )
            .catch(() => {});
        } catch {
          reply.status = `ok (selector ${req.waitForSelector} not visible within 10 s)`;
        }
      }
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
      if (req.captureText) {
        reply.text = (
          await page
            .locator(req.captureText)
            .allInnerTexts()
            .catch(() => [])
        ).join('\u241E'); // one record per element
      }
      // A person's click on what the picture shows (a quick fix in the light-bulb menu, a row of
      // a webview): the suite asks for it by selector and text, the page clicks it with the mouse.
      if (req.click) {
        const rows = page.locator(req.click.selector);
        const target = rows.filter(req.click.hasText ? { hasText: req.click.hasText } : {}).first();
        try {
          await target.click({ timeout: 3_000 });
        } catch (e) {
          // Menus VS Code draws as a context view (the light-bulb menu) sit under its pointer
          // block in this browser: the row is then chosen as with the keyboard, arrows and Enter.
          const texts = await rows.allInnerTexts();
          const want = texts.findIndex((t) => t.includes(req.click.hasText ?? ''));
          if (want < 0) throw e;
          const focused = await rows.evaluateAll((els) => els.findIndex((el) => el.classList.contains('focused')));
          const from = focused < 0 ? 0 : focused;
          for (let i = from; i < want; i++) await page.keyboard.press('ArrowDown');
          for (let i = from; i > want; i--) await page.keyboard.press('ArrowUp');
          await page.keyboard.press('Enter');
          reply.chosenWith = 'keyboard';
        }
        reply.clicked = true;
      }
      log(`screenshot ${name}: ${join(SHOTS, `${name}.png`)}${reply.status === 'ok' ? '' : ` ${reply.status}`}`);
      state.shots.push(name);
    } catch (e) {
      reply.status = `error: ${e.message}`;
      log(`screenshot ${name} failed: ${e.message}`);
    }
    writeFileSync(join(OUT, `done-${name}`), JSON.stringify(reply));
  }
}

/** The first frame of the page (webviews included) that shows `selector` (with `hasText`), polling up to 15 s. */
async function webviewFrameWith(page, selector, hasText) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    for (const frame of page.frames()) {
      const found = frame.locator(selector).filter(hasText ? { hasText } : {});
      if ((await found.count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  return undefined;
}

async function runCodeServer(extensionTestsPath) {
  checkAptPackages();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    fail(`E2E: playwright-core is not installed (npm ci): ${e.message}`);
  }
  const bin = ensureCodeServer(ROOT, log);
  log(`code-server ${CODE_SERVER_VERSION}: ${bin}`);
  const d = runDirs();
  writeUserSettings(d);
  const installed = installVsix(bin, d);

  const port = await freePort();
  const csLog = createWriteStream(join(RUN, 'code-server.log'));
  const args = [
    bin,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    d.user,
    '--extensions-dir',
    d.ext,
    WORKSPACE,
  ];
  const cs = spawn(process.execPath, args, { env: codeServerEnv(d), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started_pids.add(cs.pid);
  let csExited = false;
  cs.on('exit', (code, sig) => {
    csExited = true;
    log(`code-server exited (${code ?? sig})`);
  });
  cs.stdout.pipe(csLog);
  cs.stderr.pipe(csLog);
  log(`code-server pid ${cs.pid} on http://127.0.0.1:${port}`);

  let context;
  const state = { shots: [] };
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => !csExited);
    writeFileSync(join(OUT, 'screenshot-server.json'), JSON.stringify({ pid: process.pid, installedExtensionPath: installed }));

    context = await chromium.launchPersistentContext(d.browser, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const browserLog = createWriteStream(join(RUN, 'browser-console.log'));
    page.on('console', (msg) => browserLog.write(`[${msg.type()}] ${msg.text()}\n`));
    page.on('pageerror', (err) => browserLog.write(`[pageerror] ${err.message}\n`));
    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
      log(`the workbench reported exit code ${code}`);
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(installed)],
      ['extensionTestsPath', remote(extensionTestsPath)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening the workbench (suite timeout ${TIMEOUT_MS} ms)`);
    const suiteStart = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const tail = tailSuiteLog();
    while (exitCode === undefined) {
      if (csExited) fail(`E2E: code-server exited during the run; see ${join(RUN, 'code-server.log')}`);
      if (Date.now() - suiteStart > TIMEOUT_MS) {
        tail();
        await page.screenshot({ path: join(SHOTS, 'timeout.png') }).catch(() => {});
        fail(
          `E2E: the suite did not finish within ${TIMEOUT_MS} ms (see ${join(SHOTS, 'timeout.png')}, ${join(RUN, 'browser-console.log')})`,
        );
      }
      await serveScreenshots(page, state);
      tail();
      await new Promise((r) => setTimeout(r, 100));
    }
    tail();
    log(
      `suite ran in ${Date.now() - suiteStart} ms (workbench start included); screenshots: ${state.shots.join(', ') || 'none'}`,
    );
    await page.screenshot({ path: join(SHOTS, 'final.png') }).catch(() => {});
    return exitCode;
  } finally {
    rmSync(join(OUT, 'screenshot-server.json'), { force: true });
    if (context) await context.close().catch(() => {});
    await killTree(cs.pid, 'code-server');
    // Chromium and anything else this launcher started and left behind: end it by PID.
    const mine = processTree(process.pid).filter((p) => p !== process.pid);
    for (const p of mine) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (mine.length) log(`stopped ${mine.length} leftover child processes`);
  }
}

// ---------------------------------------------------------------- main

async function main() {
  prepareOutput();
  checkExamples();
  const desktop = findDesktopVSCode();
  const extensionTestsPath = await compileSuite();
  await buildVsix();
  let code;
  if (desktop) {
    code = await runDesktop(desktop, extensionTestsPath);
    return finish(code, `vscode:${desktop}`);
  }
  code = await runCodeServer(extensionTestsPath);
  return finish(code, `code-server@${CODE_SERVER_VERSION}`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`\n${e instanceof E2ESetupError ? e.message : `E2E: FAILED: ${e?.stack ?? e}`}\n`);
    try {
      if (existsSync(OUT)) finish(1, 'none');
    } catch {
      /* best effort */
    }
    process.exit(1);
  },
);
