import { join } from 'node:path';
import type { TypeScriptDiscovery } from './loadDiscovery';

/**
 * The file `scripts/build.mjs` builds from `discover.ts` next to each Node bundle
 * (`dist/cli/`, `dist/server/`). Keep the name in step with the build script.
 */
export const TYPESCRIPT_DISCOVERY_BUNDLE = 'typescript-discovery.js';

let loaded: TypeScriptDiscovery | undefined;

/**
 * In the bundles: TypeScript discovery is a separate file, required the first time it is
 * needed. Compiling ts-morph and TypeScript is most of a cold start, and a folder with no
 * tool code (or the server before its first TypeScript file) never needs them.
 */
export function loadTypeScriptDiscovery(): TypeScriptDiscovery {
  // A runtime require of a computed path: esbuild leaves it alone, Node resolves it beside this bundle.
  loaded ??= require(join(__dirname, TYPESCRIPT_DISCOVERY_BUNDLE)) as TypeScriptDiscovery;
  return loaded;
}
