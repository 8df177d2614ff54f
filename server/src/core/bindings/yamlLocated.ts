import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { LineIndex } from '../text/lineIndex';
import type { LocatedEntry, LocatedValue } from '../tools/located';
import type { DiscoveryProblem } from '../tools/model';

/** Aliases can nest; a binding never needs more than this. */
const MAX_DEPTH = 64;

/**
 * Parses YAML into a located value with the exact range of every key and value. Syntax
 * errors become problems at the position `yaml` reports; the parse never throws and what
 * parsed is still returned.
 */
export function parseYamlLocated(
  file: string,
  text: string,
): { root: LocatedValue | undefined; problems: DiscoveryProblem[]; lines: LineIndex } {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const problems: DiscoveryProblem[] = [];
  for (const [list, severity] of [
    [doc.errors, 'error'],
    [doc.warnings, 'warning'],
  ] as const) {
    for (const e of list) {
      const [start, end] = e.pos;
      // yaml marks a duplicate key by its first character; the whole key reads better.
      const keyEnd = e.code === 'DUPLICATE_KEY' ? start + (/^[^:\s]+/.exec(text.slice(start))?.[0].length ?? 1) : end;
      problems.push({
        file,
        range: lines.range(start, Math.max(end, keyEnd, start + 1)),
        message: `Invalid YAML: ${e.message}`,
        severity,
        code: 'yaml-syntax',
      });
    }
  }
  const root = doc.contents ? toLocated(doc.contents as YamlNode, doc, lines, 0) : undefined;
  return { root, problems, lines };
}

function toLocated(node: YamlNode, doc: Document, lines: LineIndex, depth: number): LocatedValue {
  const range = rangeOf(node, lines);
  if (depth > MAX_DEPTH) return { kind: 'other', text: 'too deeply nested', range };
  if (isAlias(node)) {
    const target = node.resolve(doc);
    // The alias stands where it is written, so keep its range.
    return target ? { ...toLocated(target as YamlNode, doc, lines, depth + 1), range } : { kind: 'null', range };
  }
  if (isMap(node)) {
    const entries: LocatedEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const keyText = isScalar(key) ? String(key.value) : key ? String(key) : '';
      const keyRange = key ? rangeOf(key, lines) : range;
      const value = pair.value
        ? toLocated(pair.value as YamlNode, doc, lines, depth + 1)
        : ({ kind: 'null', range: { start: keyRange.end, end: keyRange.end } } as const);
      entries.push({ key: keyText, keyRange, value });
    }
    return { kind: 'object', entries, range };
  }
  if (isSeq(node)) return { kind: 'array', items: node.items.map((i) => toLocated(i as YamlNode, doc, lines, depth + 1)), range };
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
