/**
 * Garbage collection when a thread is idle and has grown. V8 lets a heap grow to several times
 * what it holds before collecting (under the fuzzer the server's heap reached 1.3 GB with
 * 160 MB alive), and the memory it then frees is not always given back. One full collection
 * while nothing waits (~20–60 ms for the server's usual heap) keeps the process near what it
 * really holds. Only where the process was started with `--expose-gc` (the server's
 * `launch.json`); elsewhere this does nothing.
 */
const collect = (globalThis as { gc?: () => void }).gc;

/** Heap growth since the last collection that is worth one. */
const GROWTH_BYTES = 48 * 2 ** 20;

let liveAfterLast = 0;

/** Collects if this thread's heap grew by more than `growth` bytes since its last collection; answers whether it did. */
export function collectIfGrown(growth = GROWTH_BYTES): boolean {
  if (!collect) return false;
  if (process.memoryUsage().heapUsed - liveAfterLast < growth) return false;
  collect();
  liveAfterLast = process.memoryUsage().heapUsed;
  return true;
}
