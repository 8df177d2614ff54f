/**
 * Work in small units: a unit is a function that may answer a promise (Cedar in a worker);
 * `BARRIER` waits for every unit started before it; a `ReadyStep` says which files' findings
 * need nothing more, once the units before it are done. Callers yield between units, so a
 * server keeps answering requests, hand ready files out early, and stop when the work is
 * overtaken.
 */
export type WorkUnit = () => void | Promise<void>;
export const BARRIER = Symbol('barrier');
export interface ReadyStep {
  ready: readonly string[];
}
export type WorkStep = WorkUnit | typeof BARRIER | ReadyStep;

export interface RunOptions {
  /** Units answering promises that may run at once (the Cedar workers). */
  concurrency: number;
  /** Checked before each unit: true stops the run (the work was overtaken). */
  stopped?: () => boolean;
  /** Called between units (a server yields to requests here). */
  pause?: () => Promise<void>;
  /** Files whose findings are complete (the units before a `ReadyStep` are done). */
  onReady?: (paths: readonly string[]) => void | Promise<void>;
  onError: (e: unknown) => void;
}

/** Runs steps in order; answers false when it was stopped. */
export async function runWork(steps: Iterable<WorkStep>, o: RunOptions): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  const settle = async () => {
    await Promise.all(inFlight);
  };
  try {
    for (const step of steps) {
      if (o.stopped?.()) {
        await settle();
        return false;
      }
      if (step === BARRIER) {
        await settle();
        continue;
      }
      if (typeof step !== 'function') {
        await settle();
        if (o.stopped?.()) return false;
        await o.onReady?.(step.ready);
        continue;
      }
      let result: void | Promise<void>;
      try {
        result = step();
      } catch (e) {
        o.onError(e);
        continue;
      }
      if (result instanceof Promise) {
        const p: Promise<void> = result.catch(o.onError).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= o.concurrency) await Promise.race(inFlight);
      }
      await o.pause?.();
    }
  } catch (e) {
    // The plan itself failed between units: what was computed stays remembered.
    o.onError(e);
  }
  await settle();
  return true;
}
