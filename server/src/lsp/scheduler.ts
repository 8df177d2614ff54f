import type { WorkUnit } from '../core/service';

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
  private running: Promise<void> | undefined;

  constructor(
    /** The core's work units for computing these files' findings. */
    private readonly work: (paths: string[]) => Iterable<WorkUnit>,
    private readonly publish: (paths: string[]) => void,
    private readonly delayMs: () => number,
    /** Files to check first (the ones the user is looking at). */
    private readonly priority: (path: string) => boolean,
    private readonly onError: (e: unknown) => void,
  ) {}

  schedule(paths: Iterable<string>, immediate = false): void {
    for (const p of paths) this.pending.add(p);
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), immediate ? 0 : this.delayMs());
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
    this.running = this.process(gen).finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async process(gen: number): Promise<void> {
    const order = [...this.pending].sort((a, b) => Number(this.priority(b)) - Number(this.priority(a)));
    let sliceStart = performance.now();
    const pause = async () => {
      if (performance.now() - sliceStart < SLICE_MS) return;
      await yieldToRequests();
      sliceStart = performance.now();
    };
    // Open files first: their own work, then theirs published, then the rest.
    const first = order.filter((p) => this.priority(p));
    for (const group of first.length && first.length < order.length ? [first, order.filter((p) => !this.priority(p))] : [order]) {
      try {
        for (const unit of this.work(group)) {
          if (gen !== this.generation) return;
          try {
            unit();
          } catch (e) {
            this.onError(e);
          }
          await pause();
        }
      } catch (e) {
        this.onError(e);
      }
      for (let i = 0; i < group.length; i += 10) {
        if (gen !== this.generation) return;
        const slice = group.slice(i, i + 10);
        try {
          this.publish(slice);
        } catch (e) {
          this.onError(e);
        }
        for (const p of slice) this.pending.delete(p);
        await pause();
      }
    }
  }
}
