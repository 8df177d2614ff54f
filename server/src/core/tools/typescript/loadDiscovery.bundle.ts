import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { TypeScriptDiscovery } from './loadDiscovery';

/**
 * The file `scripts/build.mjs` builds from `discover.ts` next to each Node bundle
 * (`dist/cli/`, `dist/server/`). Keep the name in step with the build script.
 */
export const TYPESCRIPT_DISCOVERY_BUNDLE = 'typescript-discovery.js';

/**
 * Set by `scripts/build.mjs` (esbuild `define`): true in the CLI bundle, whose every run is a
 * cold start, so it keeps V8's compiled code of the discovery bundle in `<bundle>.cache`.
 */
declare const AGENTGOV_CODE_CACHE: boolean;

let loaded: TypeScriptDiscovery | undefined;

/**
 * In the bundles: TypeScript discovery is a separate file, loaded the first time it is needed.
 * Compiling ts-morph and TypeScript is most of a cold start, and a folder with no tool code
 * (or the server before its first TypeScript file) never needs them.
 */
export function loadTypeScriptDiscovery(): TypeScriptDiscovery {
  if (!loaded) {
    const file = join(__dirname, TYPESCRIPT_DISCOVERY_BUNDLE);
    const useCache = typeof AGENTGOV_CODE_CACHE !== 'undefined' && AGENTGOV_CODE_CACHE && !process.sourceMapsEnabled;
    // A runtime require of a computed path: esbuild leaves it alone, Node resolves it beside this bundle.
    loaded = useCache ? loadWithCodeCache(file) : (require(file) as TypeScriptDiscovery);
  }
  return loaded;
}

/** Bytes of the key in front of V8's data in a cache file: the SHA-1 of the bundle's bytes. */
const KEY_LENGTH = 20;

/**
 * Runs the bundle as Node's CommonJS loader would, with V8's code cache when the cache file
 * belongs to these exact bytes: V8 itself checks only the source length, its version and
 * flags, so the key is a hash of the content. A missing, stale or rejected cache is written
 * again when the process exits. Writing is best effort (a read-only install runs uncached).
 */
function loadWithCodeCache(file: string): TypeScriptDiscovery {
  const bytes = readFileSync(file);
  const key = createHash('sha1').update(bytes).digest();
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    const c = readFileSync(cacheFile);
    if (c.length > KEY_LENGTH && c.subarray(0, KEY_LENGTH).equals(key)) cachedData = c.subarray(KEY_LENGTH);
  } catch {
    // no cache yet
  }
  const script = new Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  const mod = { exports: {} as TypeScriptDiscovery };
  const wrapper = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    // At exit, so the cache also holds every function this run compiled (the parser, the readers).
    process.once('exit', () => writeCache(cacheFile, key, script.createCachedData()));
  }
  return mod.exports;
}

function writeCache(cacheFile: string, key: Buffer, data: Buffer): void {
  // Write then rename: a concurrent run reads either no cache or a whole one.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([key, data]));
    renameSync(tmp, cacheFile);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
  }
}
