// Installs code-server (the real VS Code workbench + Node extension host) into the project's
// ignored cache folder `.cache/code-server/`, re-using an earlier install (stamp file).
// See notes/real-editor-testing.md for why each workaround below exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** Debian packages the code-server path needs (kerberos builds from source, rg replaces the download, chromium is the browser). */
export const APT_PACKAGES = ['libkrb5-dev', 'pkg-config', 'ripgrep', 'chromium'];
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export class E2ESetupError extends Error {}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Fails loudly, naming the apt-get command to run, when a needed Debian package is missing. */
export function checkAptPackages() {
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length || !existsSync('/usr/bin/chromium') || !existsSync('/usr/bin/rg')) {
    throw new E2ESetupError(
      `E2E: missing Debian packages: ${missing.join(' ') || '(binaries /usr/bin/chromium or /usr/bin/rg)'}\n` +
        `Run: apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`,
    );
  }
}

/** Returns the path of the `code-server` executable, installing it first when needed. */
export function ensureCodeServer(root, log = console.log) {
  const prefix = join(root, '.cache', 'code-server');
  const stamp = join(prefix, `.installed-${CODE_SERVER_VERSION}`);
  const bin = join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(stamp) && existsSync(bin)) return bin;

  checkAptPackages();
  log(`E2E: installing code-server@${CODE_SERVER_VERSION} into ${prefix} (a few minutes, once)`);
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) {
    writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'e2e-code-server-cache', private: true }, null, 2));
  }
  // @vscode/ripgrep downloads ripgrep from GitHub; hand it Debian's rg as the cached archive.
  const tmp = join(prefix, 'tmp');
  const rgCache = join(tmp, RIPGREP_CACHE);
  mkdirSync(rgCache, { recursive: true });
  const rgStage = join(tmp, 'rg-stage');
  mkdirSync(rgStage, { recursive: true });
  copyFileSync('/usr/bin/rg', join(rgStage, 'rg'));
  const tar = spawnSync('tar', ['-czf', join(rgCache, RIPGREP_ARCHIVE), '-C', rgStage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new E2ESetupError('E2E: could not build the ripgrep cache archive');

  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // npm >= 11.x blocks dependency install scripts unless allow-listed, and code-server's
    // postinstall runs nested `npm install`s (lib/vscode: node-pty, kerberos, spdlog, ripgrep, ...)
    // that all need theirs. This is a pinned version in an isolated cache folder.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--prefix', prefix, `code-server@${CODE_SERVER_VERSION}`], {
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !existsSync(bin)) {
    throw new E2ESetupError(
      `E2E: npm install of code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}). ` +
        `Needs: apt-get install -y ${APT_PACKAGES.join(' ')}; Node 20.`,
    );
  }
  rmSync(rgStage, { recursive: true, force: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return bin;
}

export function codeServerVersion(prefix) {
  try {
    return JSON.parse(readFileSync(join(prefix, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
