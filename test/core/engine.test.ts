import { describe, expect, it } from 'vitest';
import {
  BARRIER,
  Engine,
  labelled,
  labelOf,
  Memo,
  type ReadyStep,
  runWork,
  type WorkStep,
  type WorkUnit,
} from '../../server/src/core/engine';
import { ROOT, SCHEMA, workspace } from './helpers';

/** An engine with two inputs and a chain of queries that count their computations. */
function chain() {
  const engine = new Engine();
  const runs = { len: 0, parity: 0, label: 0 };
  const len = engine.define('len', (arg) => {
    runs.len++;
    return (engine.input<string>(`text\u0000${arg}`) ?? '').length;
  });
  const parity = engine.define('parity', (arg) => {
    runs.parity++;
    return len(arg) % 2;
  });
  const label = engine.define('label', (arg) => {
    runs.label++;
    return `${arg}:${parity(arg) ? 'odd' : 'even'}`;
  });
  return { engine, runs, len, parity, label };
}

describe('the incremental engine', () => {
  it('recomputes a query only when something it read changed', () => {
    const { engine, runs, label } = chain();
    engine.setInput('text\u0000a', 'xy');
    expect(label('a')).toBe('a:even');
    expect(label('a')).toBe('a:even');
    expect(runs).toEqual({ len: 1, parity: 1, label: 1 });
    // An unrelated input leaves every result valid.
    engine.setInput('text\u0000b', 'zzz');
    expect(label('a')).toBe('a:even');
    expect(runs).toEqual({ len: 1, parity: 1, label: 1 });
    // The same value again is no change at all.
    expect(engine.setInput('text\u0000a', 'xy')).toBe(false);
    engine.setInput('text\u0000a', 'xyz');
    expect(label('a')).toBe('a:odd');
    expect(runs).toEqual({ len: 2, parity: 2, label: 2 });
  });

  it('stops at a query whose new value equals the old one (early cutoff)', () => {
    const { engine, runs, label } = chain();
    engine.setInput('text\u0000a', 'xy');
    label('a');
    engine.setInput('text\u0000a', 'abcd');
    expect(label('a')).toBe('a:even');
    // len and parity ran again; parity's value did not change, so label was not recomputed.
    expect(runs).toEqual({ len: 2, parity: 2, label: 1 });
  });

  it('answers which queries an input change may affect, through other queries, without computing', () => {
    const { engine, runs, label } = chain();
    engine.setInput('text\u0000a', 'xy');
    engine.setInput('text\u0000b', 'xy');
    label('a');
    label('b');
    const before = { ...runs };
    expect(engine.affected(['text\u0000a'], new Set(['label']))).toEqual([Engine.keyOf('label', 'a')]);
    expect(engine.affected(['text\u0000a'], new Set(['len', 'parity'])).sort()).toEqual(
      [Engine.keyOf('len', 'a'), Engine.keyOf('parity', 'a')].sort(),
    );
    expect(engine.affected(['text\u0000c'], new Set(['label']))).toEqual([]);
    expect(runs).toEqual(before);
  });

  it('keeps each query within its budget and recomputes what it forgot', () => {
    const engine = new Engine();
    let runs = 0;
    const square = engine.define(
      'square',
      (arg) => {
        runs++;
        return Number(arg) ** 2;
      },
      { budget: 2 },
    );
    square('1');
    square('2');
    square('3');
    expect(engine.sizes().square).toBe(2);
    expect(engine.has(Engine.keyOf('square', '1'))).toBe(false);
    expect(square('1')).toBe(1);
    expect(runs).toBe(4);
  });

  it('refuses a query that reads itself', () => {
    const engine = new Engine();
    const loop: (arg: string) => number = engine.define('loop', (arg) => loop(arg) + 1);
    expect(() => loop('x')).toThrow(/cycle through loop/);
  });

  it('peek answers the last value without bringing it up to date', () => {
    const { engine, len } = chain();
    engine.setInput('text\u0000a', 'xy');
    len('a');
    engine.setInput('text\u0000a', 'xyz');
    expect(engine.peek(Engine.keyOf('len', 'a'))).toBe(2);
    expect(len('a')).toBe(3);
  });

  it('upToDate tells, computing nothing, whether a value and everything it read are unchanged', () => {
    const { engine, runs, label } = chain();
    const key = Engine.keyOf('label', 'a');
    expect(engine.upToDate(key)).toBe(false);
    engine.setInput('text\u0000a', 'xy');
    label('a');
    engine.setInput('text\u0000b', 'other');
    expect(engine.upToDate(key)).toBe(true);
    // An input two queries down changed: not up to date, and nothing was recomputed to find out.
    engine.setInput('text\u0000a', 'xyz');
    const before = { ...runs };
    expect(engine.upToDate(key)).toBe(false);
    expect(runs).toEqual(before);
    label('a');
    expect(engine.upToDate(key)).toBe(true);
  });
});

describe('Memo', () => {
  it('forgets the least recently used entry first', () => {
    const m = new Memo<string, number>('test', 2);
    m.set('a', 1);
    m.set('b', 2);
    m.get('a');
    m.set('c', 3);
    expect([m.has('a'), m.has('b'), m.has('c')]).toEqual([true, false, true]);
  });

  it('keeps at most four keys of 256,000 characters or more, forgetting the least recently used of them (fuzz: megabyte statement texts kept the heap at 150 MB)', () => {
    const m = new Memo<string, number>('test', 1000);
    const big = (c: string) => c.repeat(256_000);
    m.set('small', 0);
    for (const c of 'abcd') m.set(big(c), 1);
    m.get(big('a'));
    m.set(big('e'), 1);
    expect([...'abcde'].map((c) => m.has(big(c)))).toEqual([true, false, true, true, true]);
    expect(m.has('small')).toBe(true);
  });
});

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('runWork', () => {
  it('waits at a barrier for the units before it, and runs no more than `concurrency` at once', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const slow = (name: string, ms: number) => async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick(ms);
      log.push(name);
      inFlight--;
    };
    const steps: WorkStep[] = [slow('a', 30), slow('b', 5), slow('c', 5), BARRIER, () => void log.push('after')];
    expect(await runWork(steps, { concurrency: 2, onError: () => undefined })).toBe(true);
    expect(log.indexOf('after')).toBe(3);
    expect(most).toBe(2);
  });

  it('hands ready files out once the units before them are done, before the rest', async () => {
    const log: string[] = [];
    const steps: WorkStep[] = [
      async () => {
        await tick(10);
        log.push('short');
      },
      { ready: ['/a.cedar'] },
      async () => {
        await tick(30);
        log.push('long');
      },
    ];
    await runWork(steps, { concurrency: 2, onReady: (p) => void log.push(`ready ${p.join()}`), onError: () => undefined });
    expect(log).toEqual(['short', 'ready /a.cedar', 'long']);
  });

  it('a worker unit waits for a free worker while the units after it run here', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const call = (name: string, ms: number) =>
      labelled(
        () => name,
        async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          log.push(`start ${name}`);
          await tick(ms);
          log.push(`end ${name}`);
          inFlight--;
        },
        { worker: true },
      );
    const steps: WorkStep[] = [call('a', 30), call('b', 30), call('c', 5), () => void log.push('here')];
    await runWork(steps, { concurrency: 2, onError: () => undefined });
    // `here` did not wait for a worker to be free; `c` started when one was.
    expect(log.slice(0, 3)).toEqual(['start a', 'start b', 'here']);
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.at(-1)).toBe('end c');
    expect(most).toBe(2);
  });

  it('hands files out when their own units end, without waiting for a longer one queued before', async () => {
    const log: string[] = [];
    const call = (name: string, ms: number) =>
      labelled(
        () => name,
        async () => {
          await tick(ms);
          log.push(name);
        },
        { worker: true },
      );
    const long = call('long', 60);
    const short = call('short', 5);
    const queuedShort = call('queued', 5);
    const steps: WorkStep[] = [
      long,
      short,
      queuedShort,
      { ready: ['/short.cedar'], after: [short] },
      { ready: ['/queued.cedar'], after: [queuedShort] },
      { ready: ['/long.cedar'], after: [long, short] },
      () => void log.push('here'),
    ];
    const finished = await runWork(steps, {
      concurrency: 2,
      onReady: (p) => void log.push(`ready ${p.join()}`),
      onError: () => undefined,
    });
    expect(finished).toBe(true);
    expect(log).toEqual(['here', 'short', 'ready /short.cedar', 'queued', 'ready /queued.cedar', 'long', 'ready /long.cedar']);
  });

  it('says when it resumes after waiting, so time spent waiting is not counted as holding the thread', async () => {
    let sliceStart = performance.now();
    const held: number[] = [];
    const steps: WorkStep[] = [
      async () => {
        await tick(50);
      },
      BARRIER,
      () => undefined,
    ];
    await runWork(steps, {
      concurrency: 2,
      pause: async () => void held.push(performance.now() - sliceStart),
      resumed: () => void (sliceStart = performance.now()),
      onError: () => undefined,
    });
    // The unit after the barrier ran right after the 50 ms wait: the slice is short.
    expect(held.at(-1)!).toBeLessThan(25);
  });

  it('drops its queue when overtaken', async () => {
    const overtaken = new AbortController();
    const ran: string[] = [];
    const call = (name: string, ms: number) =>
      labelled(
        () => name,
        async () => {
          ran.push(name);
          await tick(ms);
        },
        { worker: true },
      );
    setTimeout(() => overtaken.abort(), 10);
    const steps: WorkStep[] = [call('a', 30), call('b', 5), BARRIER];
    expect(await runWork(steps, { concurrency: 1, signal: overtaken.signal, onError: () => undefined })).toBe(false);
    await tick(40);
    expect(ran).toEqual(['a']);
  });

  it('stops when overtaken, and a failing unit costs only itself', async () => {
    const errors: unknown[] = [];
    const overtaken = new AbortController();
    const ran: number[] = [];
    const steps: WorkStep[] = [
      () => void ran.push(1),
      () => {
        throw new Error('boom');
      },
      () => {
        ran.push(3);
        overtaken.abort();
      },
      () => void ran.push(4),
    ];
    expect(await runWork(steps, { concurrency: 1, signal: overtaken.signal, onError: (e) => errors.push(e) })).toBe(false);
    expect(ran).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
  });
});

describe('the plan of a check', () => {
  // One policy names an action (a small slice); one leaves the action open (the whole schema).
  const files = {
    'schema.cedarschema': SCHEMA,
    'sliced.cedar': 'permit (principal, action == Acme::Action::"read_doc", resource);',
    'whole.cedar': 'permit (principal, action, resource) when { principal is Acme::Agent };',
  };

  /**
   * The plan's steps run in order: validation units by their label's kind, ready steps by the
   * files they name and the validation units they wait for.
   */
  function runPlan(service: ReturnType<typeof workspace>['service'], first?: (p: string) => boolean): string[] {
    const order: string[] = [];
    const rel = (p: string) => p.slice(ROOT.length + 1);
    const nameOf = (u: WorkUnit) => {
      const label = labelOf(u) ?? '';
      return label.startsWith('validating') ? (label.includes('whole schema') ? 'whole call' : 'sliced call') : undefined;
    };
    for (const step of service.plan(service.checkedFiles(), false, first)) {
      if (step === BARRIER) continue;
      if (typeof step === 'function') {
        const name = nameOf(step);
        if (name) order.push(name);
        void step();
      } else {
        const waits = (step.after ?? []).map(nameOf).filter((n) => n);
        order.push(`ready ${step.ready.map(rel).join(',')} after [${waits.join(',')}]`);
      }
    }
    return order;
  }

  it('queues the whole-schema call before the short ones, and hands each file out after its own calls only', () => {
    const { service, path } = workspace(files);
    expect(runPlan(service)).toEqual([
      // The long call first, so one worker runs it while the other takes the short ones.
      'whole call',
      'ready schema.cedarschema after []',
      'ready whole.cedar after [whole call]',
      'sliced call',
      'ready sliced.cedar after [sliced call]',
    ]);
    expect(service.findings(path('whole.cedar'))).toEqual([]);
    expect(service.findings(path('sliced.cedar'))).toEqual([]);
  });

  it('queues the calls of the files given first before every other call', () => {
    const { service } = workspace({
      ...files,
      'other.cedar': 'permit (principal, action == Acme::Action::"send_email", resource);',
    });
    // Both sliced statements share one call, queued first; the file given first leads the list.
    expect(runPlan(service, (p) => p.endsWith('/sliced.cedar'))).toEqual([
      'sliced call',
      'whole call',
      'ready schema.cedarschema after []',
      'ready sliced.cedar,other.cedar after [sliced call]',
      'ready whole.cedar after [whole call]',
    ]);
  });

  it('waits at no ready step: each names the units its files wait for', () => {
    const { service } = workspace({ 'schema.cedarschema': SCHEMA, 'sliced.cedar': files['sliced.cedar'] });
    const steps = [...service.plan(service.checkedFiles(), false)].map((s) => (typeof s === 'function' ? void s() : s));
    const ready = steps.filter((s): s is ReadyStep => typeof s === 'object' && 'ready' in s);
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.every((s) => Array.isArray(s.after))).toBe(true);
  });
});

describe('an overtaken run', () => {
  it('returns at once, without waiting for the calls it started, which still finish', async () => {
    const overtaken = new AbortController();
    let longDone = false;
    const steps: WorkStep[] = [
      async () => {
        await tick(80);
        longDone = true;
      },
      () => undefined,
      BARRIER,
    ];
    // Overtaken while the run waits at the barrier for the long call.
    setTimeout(() => overtaken.abort(), 10);
    const t = performance.now();
    expect(await runWork(steps, { concurrency: 2, signal: overtaken.signal, onError: () => undefined })).toBe(false);
    expect(performance.now() - t).toBeLessThan(60);
    expect(longDone).toBe(false);
    await tick(100);
    expect(longDone).toBe(true);
  });
});

describe('Memo keyed by text', () => {
  it('holds at most its characters of keys, however few entries that is', () => {
    const m = new Memo<string, number>('texts', 1000, true, 10);
    m.set('aaaa', 1);
    m.set('bbbb', 2);
    m.set('cccc', 3);
    // 12 characters would exceed 10: the oldest went.
    expect([m.has('aaaa'), m.has('bbbb'), m.has('cccc')]).toEqual([false, true, true]);
    m.delete('bbbb');
    m.set('dddddd', 4);
    expect([m.has('cccc'), m.has('dddddd')]).toEqual([true, true]);
  });
});
