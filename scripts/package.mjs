// `npm run package`: production bundles, then a .vsix with @vscode/vsce (no dependencies:
// the bundles are self-contained). Output: dist/cedar-agent-governance.vsix (or --out <file>).
// Also exports `packageVsix()` and `listVsix()` for the E2E launcher.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_VSIX = join(root, 'dist', 'cedar-agent-governance.vsix');

/** Files that must be in the package, relative to the extension root. */
export const REQUIRED_FILES = [
  'package.json',
  'dist/client/extension.js',
  'dist/server/server.js',
  // TypeScript tool discovery (ts-morph), loaded by server.js on first use.
  'dist/server/typescript-discovery.js',
  // The Cedar workers (long Cedar calls off the main thread), started by server.js.
  'dist/server/cedar-worker.js',
  'dist/server/cedar_wasm_bg.wasm',
  'syntaxes/cedar.tmLanguage.json',
  'syntaxes/cedarschema.tmLanguage.json',
];

/** Problems with a packaged file list (paths relative to the extension root); empty when fine. */
export function checkPackagedFiles(files) {
  const problems = [];
  for (const f of REQUIRED_FILES) if (!files.includes(f)) problems.push(`missing ${f}`);
  for (const f of files) {
    if (/\.(ts|tsx|mts|cts)$/.test(f) && !f.endsWith('.d.ts')) problems.push(`source file ${f}`);
    if (f.endsWith('.d.ts')) problems.push(`declaration file ${f}`);
    if (/(^|\/)node_modules\//.test(f)) problems.push(`node_modules file ${f}`);
    if (f.endsWith('.map')) problems.push(`sourcemap ${f}`);
    if (/^(test|client|server\/src|scripts|examples|\.cache|test-output)\//.test(f)) problems.push(`not a runtime file: ${f}`);
    if (f.startsWith('dist/cli/')) problems.push(`CLI file ${f}`);
    // V8 code caches belong to one Node version (the CLI's, never VS Code's): not shipped.
    if (f.endsWith('.cache')) problems.push(`code cache ${f}`);
  }
  return problems;
}

/** The file list of a .vsix (`unzip -Z1`), as paths relative to the extension root. */
export function listVsix(vsixPath) {
  const r = spawnSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${vsixPath} failed: ${r.stderr || r.error}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('extension/') && !l.endsWith('/'))
    .map((l) => l.slice('extension/'.length));
}

export async function packageVsix({ out = DEFAULT_VSIX, build = true, log = console.log } = {}) {
  if (build) {
    log('package: node scripts/build.mjs --production');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`production build failed (exit ${r.status})`);
  }
  mkdirSync(dirname(out), { recursive: true });
  const { createVSIX } = await import('@vscode/vsce');
  await createVSIX({
    cwd: root,
    packagePath: out,
    dependencies: false,
    allowMissingRepository: true,
    // The repository URL is not GitHub/GitLab: keep README links as they are.
    rewriteRelativeLinks: false,
  });
  const files = listVsix(out);
  const problems = checkPackagedFiles(files);
  if (problems.length) throw new Error(`package: bad .vsix content:\n  ${problems.join('\n  ')}`);
  log(`package: ${out} (${files.length} files, ${Math.round(statSync(out).size / 1024)} KiB)`);
  return { vsix: out, files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? resolve(process.argv[i + 1]) : DEFAULT_VSIX;
  packageVsix({ out, build: !process.argv.includes('--no-build') }).catch((e) => {
    console.error(`package: FAILED: ${e.message}`);
    process.exitCode = 1;
  });
}
void existsSync;
