import { describe, expect, it } from 'vitest';
import { LONG_TASK_MS, LongTasks } from '../../server/src/lsp/longTasks';

describe('work that held the thread long', () => {
  it('is logged once with what it was, and the latest twenty are kept', () => {
    const log: string[] = [];
    const tasks = new LongTasks((m) => log.push(m));
    tasks.note('hover', LONG_TASK_MS - 1);
    expect(tasks.list()).toEqual([]);
    for (let i = 0; i < 25; i++) tasks.note(`task ${i}`, LONG_TASK_MS + i);
    expect(tasks.list().map((t) => t.what)).toEqual(Array.from({ length: 20 }, (_, i) => `task ${i + 5}`));
    expect(log[0]).toBe(`agentgov: task 0 held the thread for ${LONG_TASK_MS} ms`);
  });

  it('times a handler, also one that throws', () => {
    const tasks = new LongTasks(() => undefined);
    const busy = () => {
      const until = performance.now() + LONG_TASK_MS + 10;
      while (performance.now() < until);
    };
    expect(() =>
      tasks.time('completion', () => {
        busy();
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(tasks.list().map((t) => t.what)).toEqual(['completion']);
  });
});
