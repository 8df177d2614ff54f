/**
 * Garbage collection when a thread is idle and has grown. V8 lets a heap grow to several times
 * what it holds before collecting (under the fuzzer the server's heap reached 1.3 GB with
 * 160 MB alive), and the memory it then frees is not always given back. One full collection
 * while nothing waits (~20–60 ms for the server's usual heap) keeps the process near what it
 * really holds. Only where the process was started with `--expose-gc` (the server's
 * `launch.json`); elsewhere this does nothing.
 *
 * Held back while garbage is less than what is alive: on a large workspace a full collection
 * takes 100 ms and more, and an edit arriving meanwhile waits for it.
 */
const collect = (globalThis as { gc?: () => void }).gc;

/** Heap growth since the last collection that is worth one. */
const GROWTH_BYTES = 48 * 2 ** 20;

let liveAfterLast = 0;

/**
 * Collects if this thread's heap grew `factor` times and by more than `growth` bytes since its
 * last collection (what a collection frees is then at least what it costs to walk); answers
 * whether it did.
 */
export function collectIfGrown(growth = GROWTH_BYTES, factor = 2): boolean {
  if (!collect) return false;
  const used = process.memoryUsage().heapUsed;
  if (used < factor * liveAfterLast || used - liveAfterLast < growth) return false;
  collect();
  liveAfterLast = process.memoryUsage().heapUsed;
  return true;
}
