import { DURATION_PATTERN } from './rules';

const DURATION = new RegExp(DURATION_PATTERN);
const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Seconds of a binding duration (`15m`, `1h30m`, `2d`, `3600s`, `3600`), or undefined when
 * it is not one. Zero is not a valid lifetime.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  if (/^\d+$/.test(t)) return positive(Number(t));
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([dhms])/g)) total += Number(n) * UNIT_SECONDS[unit];
  return positive(total);
}

function positive(n: number): number | undefined {
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `5400` → `1h30m`, for messages. */
export function formatDuration(seconds: number): string {
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}
