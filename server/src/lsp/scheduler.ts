/**
 * Debounces diagnostics per file and drops overtaken runs: every change bumps a generation;
 * a run works in small slices, yields between them, and stops as soon as a newer change
 * arrives (the newer run re-does what is still pending).
 */
export class DiagnosticsScheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly run: (paths: string[]) => void,
    private readonly delayMs: () => number,
    /** Files to check first (the ones the user is looking at). */
    private readonly priority: (path: string) => boolean,
    private readonly onError: (e: unknown) => void,
    private readonly sliceSize = 25,
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
    for (let i = 0; i < order.length; i += this.sliceSize) {
      if (gen !== this.generation) return;
      const slice = order.slice(i, i + this.sliceSize);
      try {
        this.run(slice);
      } catch (e) {
        this.onError(e);
      }
      for (const p of slice) this.pending.delete(p);
      await new Promise((r) => setImmediate(r));
    }
  }
}
