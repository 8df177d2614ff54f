import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CedarPool } from '../../server/src/core/cedar/gateway/pool';

/** The built workers (`npm test` builds `dist/` before the unit tests). */
const DIST_SERVER = resolve(__dirname, '..', '..', 'dist', 'server');

/** A Cedar-syntax schema whose conversion takes a worker hundreds of milliseconds. */
function largeSchema(actions: number): string {
  const lines = ['namespace Big {', 'entity Agent { level: Long };', 'entity Server;'];
  for (let i = 0; i < actions; i++)
    lines.push(
      `action "tool_${i}" appliesTo { principal: [Agent], resource: [Server], context: { input: { a${i}: String, b: Long, c: { d: Bool } } } };`,
    );
  lines.push('}');
  return lines.join('\n');
}

describe('the Cedar worker pool', () => {
  const pool = existsSync(join(DIST_SERVER, 'cedar-worker.js')) ? CedarPool.create(DIST_SERVER, 2)?.warm() : undefined;
  afterAll(() => pool?.close());

  it('gives a call to the first idle worker, never to the queue of one busy with a long call', async () => {
    expect(pool, 'dist/server/cedar-worker.js must be built').toBeDefined();
    const order: string[] = [];
    const policy = [{ text: 'permit (principal, action, resource);', isTemplate: false }];
    // Both workers are busy once the first short call is handed out; the second short call then
    // waits for whichever frees first (the short one), not behind the long conversion.
    const long = pool!.schemaText(largeSchema(1500)).then(() => order.push('long'));
    const first = pool!.parse(policy).then(() => order.push('first short'));
    const second = pool!.parse(policy).then(() => order.push('second short'));
    await Promise.all([long, first, second]);
    expect(order).toEqual(['first short', 'second short', 'long']);
  });

  it('answers every call asked at once, in any number, with both workers', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => [
      { text: `permit (principal, action, resource) when { ${i} < 1 };`, isTemplate: false },
    ]);
    const answers = await Promise.all(texts.map((t) => pool!.parse(t)));
    expect(answers).toHaveLength(40);
    expect(answers.every((a) => a.length === 1 && a[0].length === 0)).toBe(true);
  });
});
