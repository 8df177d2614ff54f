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
