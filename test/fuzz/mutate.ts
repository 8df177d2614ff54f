/*
 * Seeded mutations of workspace files (issue 8): every operator is named, so a failure says
 * what was done to which file, and the same seed does it again.
 */

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const at = (r: Rng, text: string) => Math.floor(r() * (text.length + 1));
const insert = (text: string, i: number, s: string) => text.slice(0, i) + s + text.slice(i);

/** What a file is, so nesting and wrong types are written in its own syntax. */
export type Syntax = 'cedar' | 'json' | 'yaml' | 'ts';

export interface Mutation {
  name: string;
  /** How often, relative to the others (the huge ones are rare: they are slow to send). */
  weight: number;
  apply(text: string, r: Rng, syntax: Syntax): string;
}

const BRACKETS = ['(', ')', '[', ']', '{', '}'];
const QUOTES = ['"', "'", '`'];
const SPECIAL = [...BRACKETS, ...QUOTES, ':', ';', ',', '\\', '@', '#', '&', '*', '?', '-', '|', '>', '\t', '\n', ' ', 'é', '𝄞'];

const OPEN: Record<Syntax, string> = { cedar: '(', json: '[', yaml: '[', ts: '(' };
const CLOSE: Record<Syntax, string> = { cedar: ')', json: ']', yaml: ']', ts: ')' };

function nested(syntax: Syntax, depth: number): string {
  return OPEN[syntax].repeat(depth) + (syntax === 'cedar' || syntax === 'ts' ? '1' : '0') + CLOSE[syntax].repeat(depth);
}

const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  'tools: *h',
].join('\n');

export const MUTATIONS: Mutation[] = [
  { name: 'truncate', weight: 8, apply: (t, r) => t.slice(0, at(r, t)) },
  {
    name: 'flip a character',
    weight: 12,
    apply: (t, r) => (t ? ((i) => t.slice(0, i) + pick(r, SPECIAL) + t.slice(i + 1))(Math.floor(r() * t.length)) : t),
  },
  { name: 'delete a bracket', weight: 6, apply: (t, r) => deleteOne(t, r, BRACKETS) },
  { name: 'double a bracket', weight: 6, apply: (t, r) => doubleOne(t, r, BRACKETS) },
  { name: 'delete a quote', weight: 6, apply: (t, r) => deleteOne(t, r, QUOTES) },
  { name: 'double a quote', weight: 6, apply: (t, r) => doubleOne(t, r, QUOTES) },
  { name: 'a 1 MB string', weight: 1, apply: (t, r) => insert(t, at(r, t), `"${'x'.repeat(1 << 20)}"`) },
  { name: 'a 1 MB line', weight: 1, apply: (t, r) => insert(t, at(r, t), `${'ab, '.repeat(1 << 18)}\n`) },
  { name: '10,000-level nesting', weight: 2, apply: (t, r, s) => insert(t, at(r, t), nested(s, 10_000)) },
  { name: 'nesting of 200', weight: 3, apply: (t, r, s) => insert(t, at(r, t), nested(s, 200)) },
  {
    // Cedar's validator recurses once per operand: a long chain of comparisons once broke it.
    name: 'a long boolean chain',
    weight: 2,
    apply: (t, r) =>
      insert(
        t,
        at(r, t),
        Array(pick(r, [999, 1500, 2500]))
          .fill('context.input.amount == 1')
          .join(' && '),
      ),
  },
  { name: 'a YAML alias bomb', weight: 2, apply: (t, r) => (r() < 0.5 ? ALIAS_BOMB : insert(t, at(r, t), `\n${ALIAS_BOMB}\n`)) },
  { name: 'a lone surrogate', weight: 3, apply: (t, r) => insert(t, at(r, t), pick(r, ['\ud800', '\udfff', '\udc00x'])) },
  { name: 'CRLF line endings', weight: 3, apply: (t) => t.replace(/\r?\n/g, '\r\n') },
  { name: 'lone CR line endings', weight: 3, apply: (t) => t.replace(/\r?\n/g, '\r') },
  { name: 'a byte order mark', weight: 2, apply: (t) => `\ufeff${t}` },
  { name: 'a NUL character', weight: 3, apply: (t, r) => insert(t, at(r, t), '\u0000') },
  {
    name: 'a 64-bit number',
    weight: 3,
    apply: (t, r) => replaceNumber(t, r, pick(r, ['9223372036854775807', '9223372036854775808', '-9223372036854775809'])),
  },
  { name: 'a 100-digit number', weight: 2, apply: (t, r) => replaceNumber(t, r, '1'.repeat(100)) },
  { name: 'a wrong type at a key', weight: 10, apply: (t, r, s) => wrongType(t, r, s) },
  { name: 'duplicate a line', weight: 4, apply: (t, r) => lineEdit(t, r, (line) => `${line}\n${line}`) },
  { name: 'delete a line', weight: 4, apply: (t, r) => lineEdit(t, r, () => '') },
  { name: 'empty', weight: 1, apply: () => '' },
];

/** A position holding one of `chars`: random tries first, then a scan from a random start. */
function findOne(t: string, r: Rng, chars: string[]): number {
  if (!t) return -1;
  for (let k = 0; k < 64; k++) {
    const i = Math.floor(r() * t.length);
    if (chars.includes(t[i])) return i;
  }
  const from = Math.floor(r() * t.length);
  for (let j = 0; j < t.length; j++) {
    const i = (from + j) % t.length;
    if (chars.includes(t[i])) return i;
  }
  return -1;
}

function deleteOne(t: string, r: Rng, chars: string[]): string {
  const i = findOne(t, r, chars);
  return i < 0 ? t : t.slice(0, i) + t.slice(i + 1);
}

function doubleOne(t: string, r: Rng, chars: string[]): string {
  const i = findOne(t, r, chars);
  return i < 0 ? t : t.slice(0, i) + t[i] + t.slice(i);
}

/** Where a regex-based mutation looks: a 64 KB window of a large text, so mutating stays cheap. */
function window(t: string, r: Rng): number {
  return t.length <= 65_536 ? 0 : Math.floor(r() * (t.length - 65_536));
}

function replaceNumber(t: string, r: Rng, n: string): string {
  const base = window(t, r);
  const spots = [...t.slice(base, base + 65_536).matchAll(/\b\d+\b/g)].map((m) => Object.assign(m, { index: m.index! + base }));
  if (!spots.length) return insert(t, at(r, t), n);
  const m = pick(r, spots);
  return t.slice(0, m.index) + n + t.slice(m.index! + m[0].length);
}

/** A value after a key (`key: value`, `"key": value`) replaced by one of another type. */
function wrongType(t: string, r: Rng, syntax: Syntax): string {
  const base = window(t, r);
  const spots = [...t.slice(base, base + 65_536).matchAll(/(["']?[\w$-]+["']?\s*:\s*)([^\n,}\]]+)/g)].map((m) =>
    Object.assign(m, { index: m.index! + base }),
  );
  if (!spots.length) return t;
  const m = pick(r, spots);
  const values =
    syntax === 'yaml'
      ? ['[1, 2]', '{a: 1}', 'null', 'true', '"x"', '12', '~', '- a']
      : ['[1, 2]', '{"a": 1}', 'null', 'true', '"x"', '12', '{}', '[]'];
  const start = m.index! + m[1].length;
  return t.slice(0, start) + pick(r, values) + t.slice(start + m[2].length);
}

/** Replaces the line around a random position (no split of the whole text). */
function lineEdit(t: string, r: Rng, edit: (line: string) => string): string {
  const i = Math.floor(r() * (t.length + 1));
  const start = t.lastIndexOf('\n', i - 1) + 1;
  const nl = t.indexOf('\n', i);
  const end = nl < 0 ? t.length : nl;
  return t.slice(0, start) + edit(t.slice(start, end)) + t.slice(end);
}

/** One mutation, chosen by weight. */
export function mutation(r: Rng): Mutation {
  const total = MUTATIONS.reduce((n, m) => n + m.weight, 0);
  let x = r() * total;
  for (const m of MUTATIONS) if ((x -= m.weight) < 0) return m;
  return MUTATIONS[0];
}

/** Bytes for a file on disk: sometimes not UTF-8 at all (invalid sequences, UTF-16). */
export function toBytes(text: string, r: Rng): { bytes: Uint8Array; how?: string } {
  const x = r();
  if (x < 0.05) return { bytes: new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]), how: 'UTF-16' };
  if (x < 0.12) {
    const b = Buffer.from(text, 'utf8');
    const i = Math.floor(r() * (b.length + 1));
    return {
      bytes: Buffer.concat([b.subarray(0, i), Buffer.from([pick(r, [0xff, 0xc3, 0xe2, 0x80])]), b.subarray(i)]),
      how: 'invalid UTF-8',
    };
  }
  return { bytes: Buffer.from(text, 'utf8') };
}
