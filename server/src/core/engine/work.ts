/**
 * Work in small units: a unit is a function that may answer a promise (Cedar in a worker);
 * `BARRIER` waits for every unit started before it; a `ReadyStep` says which files' findings
 * need nothing more, once the units before it are done. Callers yield between units, so a
 * server keeps answering requests, hand ready files out early, and stop when the work is
 * overtaken.
 */
export type WorkUnit = () => void | Promise<void>;

/** Units' names, made only when asked for (a check yields thousands of units). */
const labels = new WeakMap<WorkUnit, () => string>();

/** A unit with a name, so time a unit holds a thread can be told by what it was. */
export function labelled(label: () => string, f: WorkUnit): WorkUnit {
  labels.set(f, label);
  return f;
}

/** The name of a unit, if it has one. */
export function labelOf(unit: WorkUnit): string | undefined {
  return labels.get(unit)?.();
}
export const BARRIER = Symbol('barrier');
export interface ReadyStep {
  ready: readonly string[];
}
export type WorkStep = WorkUnit | typeof BARRIER | ReadyStep;

export interface RunOptions {
  /** Units answering promises that may run at once (the Cedar workers). */
  concurrency: number;
  /** Aborted when the work is overtaken: the run stops, even while it waits for units in flight. */
  signal?: AbortSignal;
  /** Called between units (a server yields to requests here), with the unit just run (`labelOf` names it). */
  pause?: (last?: WorkUnit) => Promise<void>;
  /** Files whose findings are complete (the units before a `ReadyStep` are done). */
  onReady?: (paths: readonly string[]) => void | Promise<void>;
  onError: (e: unknown) => void;
}

/**
 * Runs steps in order; answers false when it was stopped. A stopped run does not wait for its
 * units still in flight: a Cedar call cannot be interrupted, but what it computes is remembered
 * by content when it ends, and the newer run goes on meanwhile (in the other worker).
 */
export async function runWork(steps: Iterable<WorkStep>, o: RunOptions): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  let abandoned = false;
  const signal = o.signal;
  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  /** Waits for what is in flight (or any of it), or until the run is overtaken. */
  const settle = (any = false) => Promise.race([any ? Promise.race(inFlight) : Promise.all(inFlight), aborted]);
  const stop = () => {
    abandoned = true;
    return false;
  };
  try {
    for (const step of steps) {
      if (signal?.aborted) return stop();
      if (step === BARRIER) {
        await settle();
        continue;
      }
      if (typeof step !== 'function') {
        await settle();
        if (signal?.aborted) return stop();
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
        const p: Promise<void> = result
          .catch((e) => {
            // An abandoned unit's failure (the workers closing at shutdown) concerns no one.
            if (!abandoned) o.onError(e);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= o.concurrency) await settle(true);
      }
      await o.pause?.(step);
    }
  } catch (e) {
    // The plan itself failed between units: what was computed stays remembered.
    o.onError(e);
  }
  await settle();
  return signal?.aborted ? stop() : true;
}
