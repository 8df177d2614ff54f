import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../..');
const EXAMPLES = join(REPO, 'examples');

interface BuildScript {
  buildOptions(o?: { production?: boolean }): (esbuild.BuildOptions & { outfile: string })[];
  typeScriptInputs(metafile: esbuild.Metafile): string[];
  TYPESCRIPT_DISCOVERY_BUNDLE: string;
}

/** scripts/build.mjs, imported by URL (it is plain ESM without types). */
async function buildScript(): Promise<BuildScript> {
  return (await import(pathToFileURL(join(REPO, 'scripts/build.mjs')).href)) as BuildScript;
}

/**
 * The bundles of scripts/build.mjs, built into a folder of their own (dist/ may be stale or
 * rebuilt by someone else meanwhile), with cedar-wasm's .wasm beside them as the build does.
 */
describe('the CLI and server bundles', () => {
  let out: string;
  let meta: Map<string, esbuild.Metafile>;
  let build: BuildScript;

  beforeAll(async () => {
    build = await buildScript();
    out = mkdtempSync(join(tmpdir(), 'agentgov-bundles-'));
    meta = new Map();
    const wanted = [
      'dist/server/server.js',
      'dist/cli/agentgov.js',
      `dist/cli/${build.TYPESCRIPT_DISCOVERY_BUNDLE}`,
      'dist/cli/cedar-worker.js',
    ];
    const options = build.buildOptions().filter((o) => wanted.includes(o.outfile));
    await Promise.all(
      options.map(async (o) => {
        const outfile = join(out, o.outfile);
        const r = await esbuild.build({ ...o, outfile, sourcemap: false, logLevel: 'silent' });
        meta.set(o.outfile, r.metafile!);
      }),
    );
    const wasm = join(dirname(require.resolve('@cedar-policy/cedar-wasm/nodejs')), 'cedar_wasm_bg.wasm');
    copyFileSync(wasm, join(out, 'dist/cli/cedar_wasm_bg.wasm'));
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('keep ts-morph and TypeScript out of the main bundles, in the discovery bundle only', () => {
    expect(build.typeScriptInputs(meta.get('dist/cli/agentgov.js')!)).toEqual([]);
    expect(build.typeScriptInputs(meta.get('dist/server/server.js')!)).toEqual([]);
    const discovery = build.typeScriptInputs(meta.get(`dist/cli/${build.TYPESCRIPT_DISCOVERY_BUNDLE}`)!);
    expect(discovery.some((p) => p.includes('node_modules/ts-morph/'))).toBe(true);
    expect(discovery.some((p) => /node_modules\/(typescript|@ts-morph\/common)\//.test(p))).toBe(true);
  });

  it("leave TypeScript's default lib files out of the discovery bundle (discovery never loads them)", () => {
    const bundle = readFileSync(join(out, `dist/cli/${build.TYPESCRIPT_DISCOVERY_BUNDLE}`), 'utf8');
    // A line of lib.webworker.importscripts.d.ts, one of the lib files @ts-morph/common carries.
    expect(bundle).not.toContain('declare function importScripts');
    expect(bundle.length).toBeLessThan(5_500_000);
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(out, 'dist/cli/agentgov.js'), ...args], { encoding: 'utf8' });

  it('check a folder without TypeScript tools without the discovery bundle', () => {
    const discovery = join(out, 'dist/cli', build.TYPESCRIPT_DISCOVERY_BUNDLE);
    const empty = mkdtempSync(join(tmpdir(), 'agentgov-empty-'));
    renameSync(discovery, `${discovery}.away`);
    try {
      const r = cli('check', empty, '--format', 'json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).summary).toMatchObject({ files: 0, tools: 0 });
    } finally {
      renameSync(`${discovery}.away`, discovery);
      rmSync(empty, { recursive: true, force: true });
    }
    expect(existsSync(`${discovery}.cache`)).toBe(false);
  });

  it('find the TypeScript tools of examples/ through the discovery bundle, with and then from its code cache', () => {
    const cache = join(out, 'dist/cli', `${build.TYPESCRIPT_DISCOVERY_BUNDLE}.cache`);
    const names = (r: ReturnType<typeof cli>) => {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return (JSON.parse(r.stdout) as { tools: { name: string; file: string }[] }).tools;
    };
    const first = names(cli('inventory', EXAMPLES, '--format', 'json'));
    // TypeScript tools (MCP SDK in payments-server and ops-server, Vercel AI SDK in helpdesk,
    // OpenAI Agents SDK in research), not only the JSON ones.
    expect(
      first
        .filter((t) => t.file.endsWith('.ts'))
        .map((t) => t.name)
        .sort(),
    ).toEqual([
      'create_refund',
      'export_customer_data',
      'fetch_page',
      'get_invoice',
      'purge_cache',
      'reply_to_ticket',
      'restart_service',
      'search_tickets',
      'search_web',
    ]);
    expect(first.map((t) => t.name).sort()).toEqual([
      'create_refund',
      'deploy_service',
      'export_customer_data',
      'fetch_page',
      'get_invoice',
      'publish_report',
      'purge_cache',
      'query_metrics',
      'read_logs',
      'reply_to_ticket',
      'restart_service',
      'search_tickets',
      'search_web',
    ]);
    expect(existsSync(cache)).toBe(true);
    expect(names(cli('inventory', EXAMPLES, '--format', 'json'))).toEqual(first);
  });

  it('find the same with Cedar workers as without, entities conformance included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentgov-workers-'));
    try {
      cpSync(EXAMPLES, dir, { recursive: true });
      const file = join(dir, 'platform.cedarentities.json');
      const entities = JSON.parse(readFileSync(file, 'utf8')) as { attrs: Record<string, unknown> }[];
      entities[0].attrs.bogus = 5;
      writeFileSync(file, JSON.stringify(entities, null, 2));
      const run = (workers: string) =>
        spawnSync(process.execPath, [join(out, 'dist/cli/agentgov.js'), 'check', dir, '--format', 'json', '--stats'], {
          encoding: 'utf8',
          env: { ...process.env, AGENTGOV_CEDAR_WORKERS: workers },
        });
      const inWorkers = run('2');
      const inProcess = run('0');
      expect(inWorkers.stdout).toBe(inProcess.stdout);
      expect(inWorkers.stdout).toContain('attribute `bogus`');
      // With workers, this thread made no Cedar call but the governance rules' (the stats on stderr
      // say so): their facts' partial evaluations and the rule pack's decisions, each well under a
      // millisecond here, still run on this thread.
      const ops = Object.keys(JSON.parse(inWorkers.stderr).cedar as Record<string, unknown>);
      expect(ops.filter((op) => !['preparse', 'authorize', 'authorizePartial'].includes(op))).toEqual([]);
      expect(Object.keys(JSON.parse(inProcess.stderr).cedar)).toContain('checkEntities');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
