import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { setFlagsFromString } from 'node:v8';

export type { CedarWasm };

let loaded: typeof CedarWasm | undefined;

// Node 20's V8 aborts the whole process ("Fatal error: unreachable code" in the deoptimizer)
// when it has inlined cedar-wasm's JS→Wasm calls and later deoptimizes them, which thousands of
// checks under GC pressure trigger (a 1–5 MB policy file). It must be set before loading, and V8
// flags are per process: set here, when the bundle starts, so it covers the server, the CLI, the
// workers and the tests alike, and never changes mid-run (a flag change makes V8 reject the
// code cache of the TypeScript discovery bundle, which was then rebuilt every other run).
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

/**
 * cedar-wasm, loaded on first use. Only the gateway (this folder) may call it: it applies the
 * nesting guards, times every call and turns throws into answers.
 * The `nodejs` build is the one that works under plain Node (it reads `cedar_wasm_bg.wasm` next
 * to itself; the build copies it beside each bundle).
 */
export function loadCedar(): typeof CedarWasm {
  loaded ??= require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;
  return loaded!;
}
