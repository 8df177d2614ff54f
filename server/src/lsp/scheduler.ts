import { labelOf, runWork, type WorkStep, type WorkUnit } from '../core/engine';

/** How long work may hold the thread before requests get their turn. */
const SLICE_MS = 30;

const yieldToRequests = () => new Promise<void>((r) => setImmediate(r));

/**
 * Debounces diagnostics and runs the core's work in small units, yielding to incoming requests
 * whenever a slice of ~30 ms is used up. Every change bumps a generation; a run stops as soon as
 * a newer change arrives (what it computed is remembered), and the newer run does what is still
 * pending. Open files are published first.
 */
export class DiagnosticsScheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Aborts the run in progress when a newer change arrives. */
  private overtaken = new AbortController();
  private running: Promise<void> | undefined;
  /** When the oldest change still pending was scheduled, and how many files have been checked since. */
  private since: number | undefined;
  private checked = new Set<string>();

  constructor(
    /** The core's work units for computing these files' findings, the `first` ones first. */
    private readonly work: (paths: string[], first: (path: string) => boolean) => Iterable<WorkStep>,
    private readonly publish: (paths: string[]) => void,
    private readonly delayMs: () => number,
    /** Files to check first (the ones the user is looking at). */
    private readonly priority: (path: string) => boolean,
    private readonly onError: (e: unknown) => void,
    /** Cedar workers: units answering promises that may run at once. */
    private readonly concurrency: () => number = () => 1,
    /** Nothing is left to do: how many files were checked, and how long since the first change. */
    private readonly onSettled: (files: number, ms: number) => void = () => undefined,
    /** How long the thread was held between two yields, and by what. */
    private readonly onHeld: (what: string, ms: number) => void = () => undefined,
  ) {}

  schedule(paths: Iterable<string>, immediate = false): void {
    this.since ??= performance.now();
    for (const p of paths) this.pending.add(p);
    this.generation++;
    this.overtaken.abort();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), immediate ? 0 : this.delayMs());
  }

  /** Files scheduled and not yet published, plus one while a run is going or due. */
  pendingCount(): number {
    return this.pending.size + (this.running || this.timer ? 1 : 0);
  }

  /** Resolves when nothing is pending or running (for tests and the CLI). */
  async idle(): Promise<void> {
    while (this.pending.size || this.running || this.timer) {
      await (this.running ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.running) {
      // A run is still going; it sees the new generation and stops, then we go again.
      await this.running;
      if (!this.timer && this.pending.size) this.timer = setTimeout(() => void this.flush(), 0);
      return;
    }
    const gen = this.generation;
    this.overtaken = new AbortController();
    this.running = this.process(gen, this.overtaken.signal).finally(() => {
      this.running = undefined;
    });
    await this.running;
    if (!this.pending.size && !this.timer && this.since !== undefined) {
      this.onSettled(this.checked.size, performance.now() - this.since);
      this.since = undefined;
      this.checked.clear();
    }
  }

  private async process(gen: number, signal: AbortSignal): Promise<void> {
    const order = [...this.pending].sort((a, b) => Number(this.priority(b)) - Number(this.priority(a)));
    let sliceStart = performance.now();
    const pause = async (last?: WorkUnit) => {
      const held = performance.now() - sliceStart;
      if (held < SLICE_MS) return;
      const label = last && labelOf(last);
      const what = label ? `, ending with ${label}` : '';
      this.onHeld(`diagnostics work (${order.length} files: ${order.slice(0, 3).join(', ')}${what})`, held);
      await yieldToRequests();
      sliceStart = performance.now();
    };
    // One plan for every pending file, open files first in each of its phases; files the work
    // says are ready are published at once, before the long calls they do not wait for.
    const published = new Set<string>();
    const publishAll = async (paths: readonly string[]): Promise<boolean> => {
      const todo = paths.filter((p) => !published.has(p) && this.pending.has(p));
      for (let i = 0; i < todo.length; i += 10) {
        if (gen !== this.generation) return false;
        const slice = todo.slice(i, i + 10);
        try {
          this.publish(slice);
        } catch (e) {
          this.onError(e);
        }
        for (const p of slice) {
          published.add(p);
          this.pending.delete(p);
          this.checked.add(p);
        }
        await pause();
      }
      return true;
    };
    const finished = await runWork(this.work(order, this.priority), {
      concurrency: this.concurrency(),
      signal,
      pause,
      // A wait for the workers left the thread free: the next slice starts then, so a long-task
      // report names time this thread really held ("building the schema … 743 ms" was a wait).
      resumed: () => void (sliceStart = performance.now()),
      onReady: async (paths) => void (await publishAll(paths)),
      onError: this.onError,
    });
    if (finished) await publishAll(order);
  }
}
