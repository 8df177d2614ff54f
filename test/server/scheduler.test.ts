import { describe, expect, it } from 'vitest';
import type { WorkStep } from '../../server/src/core/engine';
import { DiagnosticsScheduler } from '../../server/src/lsp/scheduler';

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A scheduler over fake work: `long` answers after 60 ms; files named in `ready` are ready before it. */
function scheduler(steps: () => WorkStep[], priority: (p: string) => boolean = () => false) {
  const published: { path: string; at: number }[] = [];
  const start = performance.now();
  const s = new DiagnosticsScheduler(
    () => steps(),
    (paths) => paths.forEach((path) => published.push({ path, at: performance.now() - start })),
    () => 0,
    priority,
    (e) => {
      throw e;
    },
    () => 2,
  );
  return { s, published };
}

describe('the diagnostics scheduler', () => {
  it('publishes files the work marks ready before the long calls end, and the rest after', async () => {
    let longDone = -1;
    const t0 = performance.now();
    const { s, published } = scheduler(() => [
      { ready: ['/a.cedar', '/outside-the-group.cedar'] },
      async () => {
        await tick(60);
        longDone = performance.now() - t0;
      },
    ]);
    s.schedule(['/a.cedar', '/b.cedar'], true);
    await s.idle();
    expect(published.map((p) => p.path)).toEqual(['/a.cedar', '/b.cedar']);
    expect(published[0].at).toBeLessThan(longDone);
    expect(published[1].at).toBeGreaterThanOrEqual(longDone);
  });

  it('publishes each file once although it was ready early', async () => {
    const { s, published } = scheduler(() => [{ ready: ['/a.cedar'] }, { ready: ['/a.cedar'] }]);
    s.schedule(['/a.cedar'], true);
    await s.idle();
    expect(published.map((p) => p.path)).toEqual(['/a.cedar']);
  });

  it('does not publish ready files of a run that a newer change overtook', async () => {
    let calls = 0;
    const { s, published } = scheduler(() => {
      calls++;
      return [
        async () => {
          await tick(30);
        },
        { ready: ['/a.cedar'] },
      ];
    });
    s.schedule(['/a.cedar'], true);
    await tick(5);
    s.schedule(['/a.cedar'], true);
    await s.idle();
    expect(calls).toBe(2);
    expect(published.map((p) => p.path)).toEqual(['/a.cedar']);
  });
});
