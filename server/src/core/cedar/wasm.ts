import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

export type { CedarWasm };
export type DetailedError = CedarWasm.DetailedError;
export type SchemaJson = CedarWasm.SchemaJson<string>;

let loaded: typeof CedarWasm | undefined;

/**
 * cedar-wasm, loaded on first use. The `nodejs` build is the one that works under plain Node
 * (it reads `cedar_wasm_bg.wasm` next to itself; the build copies it beside each bundle).
 */
export function cedar(): typeof CedarWasm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;
  return loaded;
}
