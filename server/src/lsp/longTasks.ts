/**
 * Work that held the server's thread long enough for a person to notice: requests and
 * notifications wait behind it. Each is logged once with what it was, and the latest are kept
 * for `agentgov/stats`, so a slow answer can be traced to its cause. `AGENTGOV_LONG_TASK_MS`
 * lowers the bar to find what keeps a hover waiting 100 ms.
 */
export const LONG_TASK_MS = Number(process.env.AGENTGOV_LONG_TASK_MS) || 250;
const KEPT = 20;

export interface LongTask {
  what: string;
  ms: number;
}

export class LongTasks {
  private readonly recent: LongTask[] = [];

  constructor(private readonly log: (message: string) => void) {}

  /** Records `what` if it took `ms` or more. */
  note(what: string, ms: number): void {
    if (ms < LONG_TASK_MS) return;
    this.recent.push({ what, ms: Math.round(ms) });
    if (this.recent.length > KEPT) this.recent.shift();
    this.log(`agentgov: ${what} held the thread for ${Math.round(ms)} ms`);
  }

  /** Runs `f` and records it if it was long. */
  time<T>(what: string, f: () => T): T {
    const started = performance.now();
    try {
      return f();
    } finally {
      this.note(what, performance.now() - started);
    }
  }

  /** The latest long tasks, oldest first. */
  list(): LongTask[] {
    return [...this.recent];
  }
}
