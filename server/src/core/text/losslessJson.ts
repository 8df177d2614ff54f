import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Node as JsonNode } from 'jsonc-parser';

/**
 * Cedar's `Long` is 64-bit, JavaScript's number a double: `JSON.parse` turns 9007199254740993
 * into 9007199254740992 and changes decisions (160 requests of Cedar's integration corpus). A
 * BigInt cannot reach cedar-wasm either (its calls are serialized with `JSON.stringify`, which
 * throws on one). `JSON.rawJSON` (TC39 "JSON.parse source text access") is the exact channel:
 * `JSON.stringify` writes its text verbatim. Node 20 has it only behind a V8 flag, which a new
 * context picks up when set at run time; a raw value made there is still recognised by this
 * context's `JSON.stringify`.
 */
type RawJson = (text: string) => object;

let rawJsonFn: RawJson | undefined;

function rawJson(): RawJson {
  if (rawJsonFn) return rawJsonFn;
  const own = (JSON as unknown as { rawJSON?: RawJson }).rawJSON;
  if (own) return (rawJsonFn = own);
  setFlagsFromString('--harmony-json-parse-with-source');
  return (rawJsonFn = runInNewContext('JSON.rawJSON') as RawJson);
}

/** A JSON number kept exactly as written: integers a double cannot hold become raw JSON text. */
export function exactNumber(source: string): number | object {
  const value = Number(source);
  if (/^-?\d+$/.test(source) && !Number.isSafeInteger(value)) return rawJson()(source);
  return value;
}

/** Whether a value was made by `exactNumber` for an integer beyond 2^53 (its text: `JSON.stringify`). */
export function isExactInteger(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === null &&
    Object.isFrozen(value) &&
    typeof (value as { rawJSON?: unknown }).rawJSON === 'string'
  );
}

/**
 * The value of a jsonc-parser node, numbers exact (`exactNumber`). `text` is the text the tree
 * was parsed from. The tree's depth is bounded by its reader (`parseJsonTree`), so recursion is safe.
 */
export function exactValueOf(node: JsonNode, text: string): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (key && value) out[String(key.value)] = exactValueOf(value, text);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => exactValueOf(c, text));
    case 'number':
      return exactNumber(text.slice(node.offset, node.offset + node.length));
    default:
      return node.value;
  }
}

let rawAfterWideBroken: boolean | undefined;

/**
 * Whether this V8's `JSON.stringify` writes a raw value wrongly once its output has turned
 * two-byte. Node 20's (JSON.rawJSON behind its flag) then copies the raw text as if it were
 * two-byte: `{"a":"€","n":9007199254740993}` came out as `{"a":"€〹㜰㤱…` with bytes of memory
 * after it, and cedar-wasm failed to read the call ("key must be a string"). The output turns
 * two-byte at the first string, key or value, that V8 holds in two bytes: one beyond Latin-1,
 * and any slice of a text that has one (a test file with a "—" in a comment), however plain.
 */
function rawAfterWideIsBroken(): boolean {
  rawAfterWideBroken ??= JSON.stringify(['\u20ac', rawJson()('1')]) !== '["\u20ac",1]';
  return rawAfterWideBroken;
}

/** Long arrays (entity lists, the same object call after call) remembered by object. */
const exactInside = new WeakMap<object, boolean>();

function holdsExactInteger(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (isExactInteger(v as unknown)) return true;
  const known = exactInside.get(v);
  if (known !== undefined) return known;
  // Depth is bounded by the readers and the gateway's nesting guards.
  const found = (Array.isArray(v) ? v : Object.values(v)).some(holdsExactInteger);
  if (Array.isArray(v) && v.length > 64) exactInside.set(v, found);
  return found;
}

/**
 * JSON text of a value with its exact integers as written, as `JSON.stringify(value, null,
 * indent)` would write it, without ever handing V8 a raw value among other text.
 */
export function exactJsonText(value: unknown, indent = 0): string {
  return exactJson(value, indent) ?? 'null';
}

/** The engine's own, kept: `withExactStringify` replaces the global one for the time of a call. */
const stringify = JSON.stringify;

function exactJson(value: unknown, indent: number): string | undefined {
  const step = ' '.repeat(indent);
  // Depth is bounded by the readers and the gateway's nesting guards.
  const write = (v: unknown, at: string): string | undefined => {
    if (isExactInteger(v)) return (v as { rawJSON: string }).rawJSON;
    if (typeof v !== 'object' || v === null) return stringify(v);
    const inner = at + step;
    const join = (parts: string[], open: string, close: string) =>
      !parts.length
        ? `${open}${close}`
        : step
          ? `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${at}${close}`
          : `${open}${parts.join(',')}${close}`;
    if (Array.isArray(v))
      return join(
        v.map((x) => write(x, inner) ?? 'null'),
        '[',
        ']',
      );
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const text = write(x, inner);
      if (text !== undefined) parts.push(`${stringify(k)}:${step ? ' ' : ''}${text}`);
    }
    return join(parts, '{', '}');
  };
  return write(value, '');
}

/**
 * Runs `f` (a cedar-wasm call: its glue stringifies the call with `JSON.stringify`) so that the
 * integers beyond 2^53 in `value` reach it exactly: where this V8 would garble them, the global
 * `JSON.stringify` writes with `exactJsonText` for the time of the call, which is synchronous.
 */
export function withExactStringify<T>(value: unknown, f: () => T): T {
  if (!holdsExactInteger(value) || !rawAfterWideIsBroken()) return f();
  const original = JSON.stringify;
  JSON.stringify = ((v: unknown, replacer?: unknown, space?: unknown) =>
    replacer == null && (space === undefined || typeof space === 'number')
      ? exactJson(v, space ?? 0)
      : original(v, replacer as never, space as never)) as typeof JSON.stringify;
  try {
    return f();
  } finally {
    JSON.stringify = original;
  }
}
