import * as discovery from './discover';

/**
 * TypeScript tool discovery: ts-morph and the TypeScript compiler it bundles. The language
 * server and CLI bundles load it only when a TypeScript file that may define tools turns up;
 * see `loadDiscovery.bundle.ts`, which replaces this module in those bundles.
 */
export type TypeScriptDiscovery = Pick<typeof discovery, 'discoverTypeScript'>;

/**
 * From sources (vitest, tsx) discovery is a plain import. `scripts/build.mjs` swaps this module
 * for `loadDiscovery.bundle.ts` in the main bundles, so they never hold ts-morph themselves.
 */
export function loadTypeScriptDiscovery(): TypeScriptDiscovery {
  return discovery;
}
