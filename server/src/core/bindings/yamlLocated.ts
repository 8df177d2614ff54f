import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { LineIndex } from '../text/lineIndex';
import type { LocatedEntry, LocatedValue } from '../tools/located';
import type { DiscoveryProblem } from '../tools/model';
import { yamlShape } from '../text/yamlShape';

/** Aliases can nest; a binding never needs more than this. */
const MAX_DEPTH = 64;

/**
 * Values an alias may expand to, in all: a few lines of anchors that refer to each other
 * (an "alias bomb") expand to billions. A binding has a few dozen.
 */
const MAX_EXPANDED = 20_000;

/**
 * Characters of YAML read at most. A binding describes one agent in a few dozen lines, and the
 * YAML library needs about 5 µs per flow item on the editor's thread (a 1 MB line of `a, b, …`
 * held it for 5 s and 350 MB; errors cost more): 32 KB, ten times a large binding, keeps the worst case
 * near a quarter of a second.
 */
export const MAX_YAML_CHARS = 32 * 1024;

/** Collections nested deeper than this are not composed at all (yamlShape.ts says why). */
const MAX_SYNTAX_DEPTH = 64;

/** Anchors and aliases together; more are not composed (yamlShape.ts says why). A binding has a few. */
const MAX_REFERENCES = 256;

interface Expansion {
  /** Values aliases may still expand to (what is written out costs nothing). */
  left: number;
  /** Where the budget ran out, once. */
  exhaustedAt?: number;
  /** Keys written twice in one mapping (found here in linear time: yaml's own check is quadratic). */
  duplicateKeys: YamlNode[];
}

/**
 * Parses YAML into a located value with the exact range of every key and value. Syntax
 * errors become problems at the position `yaml` reports; the parse never throws and what
 * parsed is still returned.
 */
export function parseYamlLocated(
  file: string,
  text: string,
  /** What the file is, for the message when it is too large. */
  what = 'an identity binding',
): { root: LocatedValue | undefined; problems: DiscoveryProblem[]; lines: LineIndex } {
  const lines = new LineIndex(text);
  const problems: DiscoveryProblem[] = [];
  // The file is not composed at all: one problem says why, where.
  const refuse = (at: number, message: string) => {
    problems.push({ file, range: lines.range(at, at + 1), message, severity: 'error', code: 'yaml-syntax' });
    return { root: undefined, problems, lines };
  };
  if (text.length > MAX_YAML_CHARS)
    return refuse(
      0,
      `This YAML file has ${Math.round(text.length / 1024).toLocaleString('en-US')} KB; ${what} is read up to ${MAX_YAML_CHARS / 1024} KB. This file was not read.`,
    );
  const shape = yamlShape(text, { depth: MAX_SYNTAX_DEPTH, references: MAX_REFERENCES });
  if (shape.deepAt !== undefined)
    return refuse(
      shape.deepAt,
      `Invalid YAML: nested too deeply (more than ${MAX_SYNTAX_DEPTH} levels). This file was not read.`,
    );
  if (shape.referencesAt !== undefined)
    return refuse(shape.referencesAt, `Invalid YAML: more than ${MAX_REFERENCES} anchors and aliases. This file was not read.`);
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
  for (const [list, severity] of [
    [doc.errors, 'error'],
    [doc.warnings, 'warning'],
  ] as const) {
    for (const e of list) {
      const [start, end] = e.pos;
      problems.push({
        file,
        range: lines.range(start, Math.max(end, start + 1)),
        message: `Invalid YAML: ${e.message}`,
        severity,
        code: 'yaml-syntax',
      });
    }
  }
  const budget: Expansion = { left: MAX_EXPANDED, duplicateKeys: [] };
  const root = doc.contents ? toLocated(doc.contents as YamlNode, doc, lines, 0, budget) : undefined;
  for (const key of budget.duplicateKeys)
    problems.push({
      file,
      range: rangeOf(key, lines),
      message: 'Invalid YAML: Map keys must be unique',
      severity: 'error',
      code: 'yaml-syntax',
    });
  if (budget.exhaustedAt !== undefined) {
    problems.push({
      file,
      range: lines.range(budget.exhaustedAt, budget.exhaustedAt + 1),
      message: `Invalid YAML: its aliases expand to more than ${MAX_EXPANDED.toLocaleString('en-US')} values; the rest was not read.`,
      severity: 'error',
      code: 'yaml-syntax',
    });
  }
  return { root, problems, lines };
}

function toLocated(
  node: YamlNode,
  doc: Document,
  lines: LineIndex,
  depth: number,
  budget: Expansion,
  viaAlias = false,
): LocatedValue {
  const range = rangeOf(node, lines);
  if (depth > MAX_DEPTH) return { kind: 'other', text: 'too deeply nested', range };
  if (viaAlias && --budget.left < 0) {
    budget.exhaustedAt ??= node.range?.[0] ?? 0;
    return { kind: 'other', text: 'not read (alias expansion)', range };
  }
  if (isAlias(node)) {
    const target = node.resolve(doc);
    // The alias stands where it is written, so keep its range.
    return target ? { ...toLocated(target as YamlNode, doc, lines, depth + 1, budget, true), range } : { kind: 'null', range };
  }
  if (isMap(node)) {
    const entries: LocatedEntry[] = [];
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      // Keys are equal as yaml compares them: scalars by value (a collection key equals only itself).
      const identity = key === null ? 'null' : isScalar(key) ? `${typeof key.value}:${String(key.value)}` : undefined;
      if (identity !== undefined && !viaAlias) {
        if (seen.has(identity) && key) budget.duplicateKeys.push(key);
        seen.add(identity);
      }
      // A collection used as a key (`? [a, b]`) is named by its kind, never printed: it may hold anything.
      const keyText = isScalar(key) ? String(key.value) : key ? `(a ${isSeq(key) ? 'list' : 'mapping'} as a key)` : '';
      const keyRange = key ? rangeOf(key, lines) : range;
      const value = pair.value
        ? toLocated(pair.value as YamlNode, doc, lines, depth + 1, budget, viaAlias)
        : ({ kind: 'null', range: { start: keyRange.end, end: keyRange.end } } as const);
      entries.push({ key: keyText, keyRange, value });
    }
    return { kind: 'object', entries, range };
  }
  if (isSeq(node))
    return {
      kind: 'array',
      items: node.items.map((i) => toLocated(i as YamlNode, doc, lines, depth + 1, budget, viaAlias)),
      range,
    };
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { kind: 'null', range };
    if (typeof v === 'string') return { kind: 'string', value: v, range };
    if (typeof v === 'number' || typeof v === 'bigint') return { kind: 'number', value: Number(v), range };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, range };
    return { kind: 'other', text: String(v), range };
  }
  return { kind: 'other', text: String(node), range };
}

/** `range[0]..range[1]` is the node's value without trailing comments or line breaks. */
function rangeOf(node: YamlNode, lines: LineIndex) {
  const r = node.range;
  return r ? lines.range(r[0], r[1]) : lines.range(0, 0);
}
