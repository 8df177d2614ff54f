import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { setFlagsFromString } from 'node:v8';

export type { CedarWasm };

let loaded: typeof CedarWasm | undefined;
/** The typings this project builds with leave out WebAssembly's classes: the little used here. */
interface WasmApi {
  Instance: new (module: unknown, imports?: unknown) => { exports: Record<string, unknown> };
  Memory: new (...args: never[]) => { buffer: ArrayBuffer };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let memory: { buffer: ArrayBuffer } | undefined;

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
  if (loaded) return loaded;
  // cedar-wasm keeps its instance to itself, but its linear memory is what a large input grows
  // and never gives back (Wasm memory cannot shrink): the instance it creates while loading is
  // seen here, once, so `cedarMemoryBytes` can tell the pool when a worker should be replaced.
  const Instance = wasmApi.Instance;
  wasmApi.Instance = function (module: unknown, imports?: unknown) {
    const instance = new Instance(module, imports);
    if (instance.exports.memory instanceof wasmApi.Memory) memory ??= instance.exports.memory;
    return instance;
  } as unknown as WasmApi['Instance'];
  try {
    loaded = require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;
  } finally {
    wasmApi.Instance = Instance;
  }
  return loaded;
}

/** The bytes of linear memory this thread's cedar-wasm holds (0 before it is loaded). */
export function cedarMemoryBytes(): number {
  return memory?.buffer.byteLength ?? 0;
}
