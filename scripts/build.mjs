// One esbuild script for every bundle: the VS Code client, the language server and the CLI.
// cedar-wasm reads its .wasm from `${__dirname}`, so the file is copied next to each Node bundle.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
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
};

const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/agentgov.js', banner: { js: '#!/usr/bin/env node' } },
];

const wasm = join(dirname(require.resolve('@cedar-policy/cedar-wasm/nodejs')), 'cedar_wasm_bg.wasm');
for (const dir of ['dist/server', 'dist/cli']) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(wasm, join(dir, 'cedar_wasm_bg.wasm'));
}

// A production build has no sourcemaps: drop those a development build left, so they never ship.
if (production) for (const b of bundles) rmSync(`${b.outfile}.map`, { force: true });

if (watch) {
  for (const b of bundles) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(bundles.map((b) => esbuild.build({ ...common, ...b })));
}
