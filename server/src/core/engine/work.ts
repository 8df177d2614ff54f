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

/** Units that hand their work to a Cedar worker (they answer a promise, or nothing when it is done). */
const handedOff = new WeakSet<WorkUnit>();

/**
 * A unit with a name, so time a unit holds a thread can be told by what it was. `worker`: the
 * unit's work runs in a Cedar worker; when every worker is taken it waits, and the units after
 * it that run here go on meanwhile.
 */
export function labelled(label: () => string, f: WorkUnit, options: { worker?: boolean } = {}): WorkUnit {
  labels.set(f, label);
  if (options.worker) handedOff.add(f);
  return f;
}

/** The name of a unit, if it has one. */
export function labelOf(unit: WorkUnit): string | undefined {
  return labels.get(unit)?.();
}
export const BARRIER = Symbol('barrier');
export interface ReadyStep {
  ready: readonly string[];
  /**
   * The units these files wait for (yielded before this step). Without it, every unit before the
   * step; with it, the run goes on at once and the files are handed out when those units are
   * done, so a long call queued first (the whole-schema validation) delays only its own files.
   */
  after?: readonly WorkUnit[];
}
export type WorkStep = WorkUnit | typeof BARRIER | ReadyStep;

export interface RunOptions {
  /** Units answering promises that may run at once (the Cedar workers). */
  concurrency: number;
  /** Aborted when the work is overtaken: the run stops, even while it waits for units in flight. */
  signal?: AbortSignal;
  /** Called between units (a server yields to requests here), with the unit just run (`labelOf` names it). */
  pause?: (last?: WorkUnit) => Promise<void>;
  /** Called when the run resumes after waiting for units in flight (the thread was free meanwhile). */
  resumed?: () => void;
  /** Files whose findings are complete (the units before a `ReadyStep` are done). */
  onReady?: (paths: readonly string[]) => void | Promise<void>;
  onError: (e: unknown) => void;
}

/**
 * Runs steps in order; answers false when it was stopped. A stopped run does not wait for its
 * units still in flight: a Cedar call cannot be interrupted, but what it computes is remembered
 * by content when it ends, and the newer run goes on meanwhile (in the other worker).
 *
 * A worker unit (`labelled(…, { worker: true })`) met while `concurrency` units are in flight
 * waits in a queue of this run, started when one ends, and the steps after it go on: the tool
 * discovery on this thread then overlaps the policy parsing queued before it, instead of
 * waiting for each parse call in turn. A stopped run drops its queue.
 */
export async function runWork(steps: Iterable<WorkStep>, o: RunOptions): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  const queued: WorkUnit[] = [];
  /** When each unit of this run that answered a promise, or was queued, is done. */
  const done = new Map<WorkUnit, Promise<void>>();
  const queuedDone = new Map<WorkUnit, () => void>();
  /** Files handed out as their own units end (`ReadyStep.after`), not yet all handed out. */
  const handingOut = new Set<Promise<void>>();
  let abandoned = false;
  const signal = o.signal;
  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const stop = () => {
    abandoned = true;
    queued.length = 0;
    for (const resolve of queuedDone.values()) resolve();
    queuedDone.clear();
    return false;
  };
  const queue = (unit: WorkUnit): void => {
    queued.push(unit);
    done.set(unit, new Promise<void>((resolve) => queuedDone.set(unit, resolve)));
  };
  /** Runs a unit; a promise it answers joins the units in flight (then answers true). */
  const start = (unit: WorkUnit): boolean => {
    let result: void | Promise<void>;
    try {
      result = unit();
    } catch (e) {
      o.onError(e);
      return false;
    }
    if (!(result instanceof Promise)) return false;
    const p: Promise<void> = result
      .catch((e) => {
        // An abandoned unit's failure (the workers closing at shutdown) concerns no one.
        if (!abandoned) o.onError(e);
      })
      .finally(() => {
        inFlight.delete(p);
        startQueued();
      });
    inFlight.add(p);
    done.set(unit, p);
    return true;
  };
  const startQueued = (): void => {
    while (queued.length && inFlight.size < o.concurrency && !signal?.aborted) {
      const unit = queued.shift()!;
      const resolve = queuedDone.get(unit)!;
      queuedDone.delete(unit);
      if (start(unit)) void done.get(unit)!.then(resolve);
      else resolve();
    }
  };
  /** Hands files out once the units they wait for are done (the run goes on meanwhile). */
  const handOut = (step: ReadyStep & { after: readonly WorkUnit[] }): void => {
    const waits = step.after.map((u) => done.get(u)).filter((w): w is Promise<void> => !!w);
    const h: Promise<void> = Promise.all(waits)
      .then(async () => {
        if (!signal?.aborted) await o.onReady?.(step.ready);
      })
      .catch(o.onError)
      .finally(() => handingOut.delete(h));
    handingOut.add(h);
  };
  /** Waits until what is in flight and queued is done (`any`: until one unit ends), or the run is overtaken. */
  const settle = async (any = false): Promise<void> => {
    if (any) {
      await Promise.race([Promise.race(inFlight), aborted]);
      return o.resumed?.();
    }
    let waited = false;
    while ((inFlight.size || queued.length) && !signal?.aborted) {
      startQueued();
      // Queued units may all have been done at once (nothing left for a worker).
      if (!inFlight.size) continue;
      await Promise.race([Promise.race(inFlight), aborted]);
      waited = true;
    }
    if (waited) o.resumed?.();
  };
  try {
    for (const step of steps) {
      if (signal?.aborted) return stop();
      if (step === BARRIER) {
        await settle();
        continue;
      }
      if (typeof step !== 'function') {
        if (step.after) {
          if (o.onReady) handOut({ ...step, after: step.after });
          continue;
        }
        await settle();
        if (signal?.aborted) return stop();
        await o.onReady?.(step.ready);
        continue;
      }
      if (handedOff.has(step)) {
        if (queued.length || inFlight.size >= o.concurrency) {
          queue(step);
          continue;
        }
        start(step);
      } else if (start(step) && inFlight.size >= o.concurrency) {
        // A unit not marked as a worker's that answered a promise is waited for as before.
        await settle(true);
      }
      await o.pause?.(step);
    }
  } catch (e) {
    // The plan itself failed between units: what was computed stays remembered.
    o.onError(e);
  }
  await settle();
  if (signal?.aborted) return stop();
  await Promise.race([Promise.all(handingOut), aborted]);
  return signal?.aborted ? stop() : true;
}
