// One esbuild script for every bundle: the VS Code client, the language server and the CLI.
// cedar-wasm reads its .wasm from `${__dirname}`, so the file is copied next to each Node bundle.
//
// TypeScript tool discovery (ts-morph, which bundles the TypeScript compiler: most of the bytes)
// is its own bundle, `typescript-discovery.js`, beside the server and the CLI. The main bundles
// get `loadDiscovery.bundle.ts` instead of `loadDiscovery.ts`, which requires that file the first
// time a TypeScript file that may define tools is discovered; a build whose main bundles still
// hold ts-morph or typescript fails. Compiling those ~10 MB was most of every CLI start.
//
// Also importable (tests): `buildOptions()` and `typeScriptInputs()`; building happens only when run.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * V8 flags the CLI sets first thing (its banner), before cedar-wasm is compiled. `--liftoff-only`:
 * a CLI run is too short for V8's optimising wasm tier to pay off, and tiering Cedar's large
 * parser functions up made the first schema check ~5x slower (400 vs 80 ms on examples/). The
 * wasm shadow stack lives in linear memory, so the nesting limits of cedar/nesting.ts are the
 * same. `--no-turbo-inline-js-wasm-calls`: what the gateway sets when the bundle loads
 * (gateway/load.ts), repeated here so the warm-up runs under exactly the CLI's flags. V8's code
 * cache is valid only under the same flags, so the warm-up sets them too.
 */
export const CLI_V8_FLAGS = '--liftoff-only --no-turbo-inline-js-wasm-calls';
// "use strict" first: esbuild's own directive would follow the call and no longer count.
const CLI_BANNER = `#!/usr/bin/env node\n"use strict";\nrequire('node:v8').setFlagsFromString(${JSON.stringify(CLI_V8_FLAGS)});`;

/** Must equal TYPESCRIPT_DISCOVERY_BUNDLE in server/src/core/tools/typescript/loadDiscovery.bundle.ts. */
export const TYPESCRIPT_DISCOVERY_BUNDLE = 'typescript-discovery.js';
const TS_DIR = join(root, 'server/src/core/tools/typescript');
const SOURCE_LOADER = join(TS_DIR, 'loadDiscovery');
const BUNDLE_LOADER = join(TS_DIR, 'loadDiscovery.bundle.ts');

/** In the main bundles, `./typescript/loadDiscovery` (a static import of discovery) becomes the lazy require. */
const lazyTypeScriptDiscovery = {
  name: 'lazy-typescript-discovery',
  setup(build) {
    build.onResolve({ filter: /(^|\/)loadDiscovery(\.ts)?$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.ts$/, '');
      return target === SOURCE_LOADER ? { path: BUNDLE_LOADER } : undefined;
    });
  },
};

/**
 * @ts-morph/common carries TypeScript's default lib files (`lib.dom.d.ts`…) as 2.9 MB of string
 * literals, for projects that load them. Discovery never does (`skipLoadingLibFiles`, `noLib`:
 * tools/typescript/project.ts), so the discovery bundle leaves them out: 40% fewer bytes to read,
 * hash and load on every CLI run and in every server. The build fails if the literal moved.
 */
const withoutTypeScriptLibFiles = {
  name: 'without-typescript-lib-files',
  setup(build) {
    build.onLoad({ filter: /[\\/]@ts-morph[\\/]common[\\/]dist[\\/]ts-morph-common\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const start = text.indexOf('const libFiles = [{');
      const end = text.indexOf('}];\n\nfunction getLibFiles()', start);
      if (start < 0 || end < 0 || text.indexOf('const libFiles = [{', start + 1) >= 0) {
        return { errors: [{ text: `${args.path}: the lib files literal was not found; update withoutTypeScriptLibFiles` }] };
      }
      return { contents: `${text.slice(0, start)}const libFiles = [];${text.slice(end + 3)}`, loader: 'js' };
    });
  },
};

/** Inputs of a metafile that are ts-morph or the TypeScript compiler. */
export function typeScriptInputs(metafile) {
  return Object.keys(metafile.inputs).filter((p) => /(^|\/)node_modules\/(typescript|ts-morph|@ts-morph\/[^/]+)\//.test(p));
}

/** Fails a main bundle that pulled ts-morph or typescript back in (a new static import of discovery). */
const noTypeScriptInMain = {
  name: 'no-typescript-in-main-bundle',
  setup(build) {
    build.onEnd((result) => {
      const bad = result.metafile ? typeScriptInputs(result.metafile) : [];
      if (!bad.length) return undefined;
      return {
        errors: [
          {
            text: `${build.initialOptions.outfile} must not bundle ts-morph/typescript (load it through loadTypeScriptDiscovery()); found ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ', …' : ''}`,
          },
        ],
      };
    });
  },
};

/** The esbuild options of every bundle, in build order. `main` bundles are checked for TypeScript. */
export function buildOptions({ production = false } = {}) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    external: ['vscode'],
    // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    // The governance rule pack (policies/*.cedar and its facts schema) is bundled as text.
    loader: { '.cedar': 'text', '.cedarschema': 'text' },
    metafile: true,
  };
  // AGENTGOV_CODE_CACHE: the CLI keeps V8's code cache of the discovery bundle (see loadDiscovery.bundle.ts).
  const main = { ...common, plugins: [lazyTypeScriptDiscovery, noTypeScriptInMain], define: { AGENTGOV_CODE_CACHE: 'false' } };
  // Always minified: it is nearly all ts-morph and TypeScript, and half the bytes are ~150 ms less
  // to read, hash and compile on a CLI run (the development build still has its sourcemap).
  const discovery = {
    ...common,
    minify: true,
    plugins: [withoutTypeScriptLibFiles],
    entryPoints: ['server/src/core/tools/typescript/discover.ts'],
  };
  return [
    { ...main, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js' },
    { ...main, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server/server.js' },
    {
      ...main,
      entryPoints: ['server/src/cli/main.ts'],
      outfile: 'dist/cli/agentgov.js',
      banner: { js: CLI_BANNER },
      define: { AGENTGOV_CODE_CACHE: 'true' },
    },
    // The Cedar workers (core/cedar/gateway/worker.ts): long Cedar calls off the main thread.
    { ...common, entryPoints: ['server/src/core/cedar/gateway/worker.ts'], outfile: 'dist/server/cedar-worker.js' },
    { ...common, entryPoints: ['server/src/core/cedar/gateway/worker.ts'], outfile: 'dist/cli/cedar-worker.js' },
    { ...discovery, outfile: `dist/server/${TYPESCRIPT_DISCOVERY_BUNDLE}` },
    { ...discovery, outfile: `dist/cli/${TYPESCRIPT_DISCOVERY_BUNDLE}` },
  ];
}

async function main() {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const bundles = buildOptions({ production });

  const wasm = join(dirname(require.resolve('@cedar-policy/cedar-wasm/nodejs')), 'cedar_wasm_bg.wasm');
  for (const dir of ['dist/server', 'dist/cli']) {
    mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(wasm, join(root, dir, 'cedar_wasm_bg.wasm'));
  }

  // A production build has no sourcemaps: drop those a development build left, so they never ship.
  if (production) for (const b of bundles) rmSync(join(root, `${b.outfile}.map`), { force: true });

  if (watch) {
    for (const b of bundles) await (await esbuild.context(b)).watch();
  } else {
    const results = await Promise.allSettled(bundles.map((b) => esbuild.build(b)));
    // esbuild has printed the errors already.
    if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
    else await warmCli();
  }
}

/**
 * Loads the built discovery bundle once through the CLI's own loader (`loadDiscovery.bundle.ts`,
 * bundled on its own here so that no other part of the CLI is involved), reads the tool fixtures
 * and discovers one tool: proves the bundle works, and leaves V8's code cache of it beside it
 * (`dist/cli/typescript-discovery.js.cache`), so the first `agentgov check` of a CI job does not
 * compile TypeScript either. A failure is reported but does not fail the build: the CLI then
 * runs uncached (and the tests say what is wrong).
 */
async function warmCli() {
  const cli = join(root, 'dist/cli');
  const probe = join(cli, `.warm-${process.pid}.js`);
  rmSync(join(cli, `${TYPESCRIPT_DISCOVERY_BUNDLE}.cache`), { force: true });
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [BUNDLE_LOADER],
      outfile: probe,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
      define: { AGENTGOV_CODE_CACHE: 'true' },
    });
    // The tool fixtures cover every SDK reader, so their parser and reader code is in the cache too.
    const fixtures = join(root, 'test/fixtures/tools');
    const samples = existsSync(fixtures)
      ? readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
          .filter((f) => /\.tsx?$/.test(f) && !f.includes('node_modules'))
          .map((f) => join(fixtures, f))
      : [];
    const code = [
      `require('node:v8').setFlagsFromString(${JSON.stringify(CLI_V8_FLAGS)});`,
      `const { loadTypeScriptDiscovery } = require(${JSON.stringify(probe)});`,
      "const { readFileSync } = require('node:fs');",
      "const text = \"import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\\nconst s = new McpServer({ name: 'warm', version: '1' });\\ns.tool('warm_up', 'Build check.', async () => ({ content: [] }));\\n\";",
      'const d = loadTypeScriptDiscovery();',
      "for (const f of process.argv.slice(1)) d.discoverTypeScript(f, readFileSync(f, 'utf8'));",
      "process.stdout.write(JSON.stringify(d.discoverTypeScript('/warm/server.ts', text).tools.map((t) => t.name)));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', code, ...samples], { encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout.includes('"warm_up"')) {
      console.warn(
        `build: warning: ${TYPESCRIPT_DISCOVERY_BUNDLE} did not discover a tool (exit ${r.status}): ${r.stderr}${r.stdout}`,
      );
    }
  } finally {
    rmSync(probe, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
