import type { Node as JsonNode } from 'jsonc-parser';
import { didYouMean } from '../text/didYouMean';
import type { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/range';
import type { TestProblem } from './model';

/** A JSON object's properties by key (the last one wins, as in `JSON.parse`), with their nodes. */
export function propertiesOf(node: JsonNode): Map<string, { key: JsonNode; value: JsonNode }> {
  const out = new Map<string, { key: JsonNode; value: JsonNode }>();
  for (const prop of node.children ?? []) {
    const [key, value] = prop.children ?? [];
    // An unfinished property (`"a":` at the end of a broken file) has no value node.
    if (key && value) out.set(String(key.value), { key, value });
  }
  return out;
}

/** Range of a node. */
export function rangeOf(node: JsonNode, lines: LineIndex): Range {
  return lines.range(node.offset, node.offset + node.length);
}

/** The first character of a node: where a problem about a key it lacks goes. */
export function startOf(node: JsonNode, lines: LineIndex): Range {
  return lines.range(node.offset, node.offset + 1);
}

const A_TYPE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

/** How a node's type reads in a message ("a string", "an array"). */
export function typeName(node: JsonNode): string {
  return A_TYPE[node.type] ?? node.type;
}

/**
 * A problem for every key of `obj` not in `allowed` (a typo like `reasons` would otherwise make a
 * test silently check less than it says), with the closest allowed key.
 */
export function unknownKeyProblems(
  obj: JsonNode,
  allowed: readonly string[],
  where: string,
  lines: LineIndex,
  request?: number,
): TestProblem[] {
  const out: TestProblem[] = [];
  for (const [name, { key }] of propertiesOf(obj)) {
    if (allowed.includes(name)) continue;
    const guess = didYouMean(name, allowed, { maxDistance: 3, ignoreCase: true });
    out.push({
      message: `Unknown key \`${name}\` in ${where}${guess ? `; did you mean \`${guess}\`?` : ` (known: ${allowed.join(', ')}).`} It is ignored.`,
      range: rangeOf(key, lines),
      severity: 'warning',
      ...(request !== undefined ? { request } : {}),
    });
  }
  return out;
}
