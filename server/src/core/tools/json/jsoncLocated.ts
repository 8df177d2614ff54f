import type { Node } from 'jsonc-parser';
import { parseJsonTree } from '../../text/jsonErrors';
import { LineIndex } from '../../text/lineIndex';
import type { DiscoveryProblem } from '../model';
import type { LocatedValue } from '../located';

/** Most files have one real error; a broken file can cascade into hundreds. */
const MAX_SYNTAX_PROBLEMS = 10;

export interface ParsedJsonc {
  root: LocatedValue | undefined;
  problems: DiscoveryProblem[];
  lines: LineIndex;
}

/**
 * Parses JSON as VS Code does (comments and trailing commas allowed) and reports syntax
 * errors with their exact ranges. What parses is still returned, so one bad comma does not
 * hide every tool of a file.
 */
export function parseJsonc(file: string, text: string): ParsedJsonc {
  const lines = new LineIndex(text);
  const { root: tree, errors } = parseJsonTree(text, lines, { allowEmptyContent: true, maxErrors: MAX_SYNTAX_PROBLEMS });
  const problems: DiscoveryProblem[] = errors.map(({ message, range }) => ({
    file,
    range,
    message,
    severity: 'error',
    code: 'json-syntax',
  }));
  return { root: tree ? toLocated(tree, lines) : undefined, problems, lines };
}

function toLocated(node: Node, lines: LineIndex): LocatedValue {
  const range = lines.range(node.offset, node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const entries = [];
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        // An unfinished property (`"a":` at the end of a broken file) has no value node.
        if (!keyNode || !valueNode) continue;
        entries.push({
          key: String(keyNode.value),
          keyRange: lines.range(keyNode.offset, keyNode.offset + keyNode.length),
          value: toLocated(valueNode, lines),
        });
      }
      return { kind: 'object', entries, range };
    }
    case 'array':
      return { kind: 'array', items: (node.children ?? []).map((c) => toLocated(c, lines)), range };
    case 'string':
      return { kind: 'string', value: String(node.value), range };
    case 'number':
      return { kind: 'number', value: Number(node.value), range };
    case 'boolean':
      return { kind: 'boolean', value: Boolean(node.value), range };
    case 'null':
      return { kind: 'null', range };
    default:
      return { kind: 'other', text: lines.text.slice(node.offset, node.offset + node.length), range };
  }
}
