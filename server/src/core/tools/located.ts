import type { Range } from '../text/range';

/**
 * A literal value with the source range of every part. JSON, YAML and TypeScript object
 * literals are all read into this one shape, so JSON Schema conversion, MCP configs and
 * bindings are written once for every format.
 */
export type LocatedValue =
  | { kind: 'object'; entries: LocatedEntry[]; range: Range }
  | { kind: 'array'; items: LocatedValue[]; range: Range }
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'boolean'; value: boolean; range: Range }
  | { kind: 'null'; range: Range }
  /** Not a static literal (a call, a reference to another file, …); `text` is its source. */
  | { kind: 'other'; text: string; range: Range };

/** One key of an object, with the range of the key itself. */
export interface LocatedEntry {
  key: string;
  keyRange: Range;
  value: LocatedValue;
}

export type LocatedObject = Extract<LocatedValue, { kind: 'object' }>;

/** The entry with this key (the last one, as JSON.parse keeps the last duplicate). */
export function entryOf(obj: LocatedValue | undefined, key: string): LocatedEntry | undefined {
  if (obj?.kind !== 'object') return undefined;
  for (let i = obj.entries.length - 1; i >= 0; i--) if (obj.entries[i].key === key) return obj.entries[i];
  return undefined;
}

export function valueOf(obj: LocatedValue | undefined, key: string): LocatedValue | undefined {
  return entryOf(obj, key)?.value;
}

export function stringOf(obj: LocatedValue | undefined, key: string): string | undefined {
  const v = valueOf(obj, key);
  return v?.kind === 'string' ? v.value : undefined;
}

export function booleanOf(obj: LocatedValue | undefined, key: string): boolean | undefined {
  const v = valueOf(obj, key);
  return v?.kind === 'boolean' ? v.value : undefined;
}

/** A short human name of a value's kind, for messages ("expected a string, found an array"). */
export function describeKind(v: LocatedValue): string {
  switch (v.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return 'an expression';
  }
}
