import { Parser } from 'yaml';

/** A YAML CST node: collections have items, whose keys and values are nodes again. */
interface CstNode {
  offset: number;
  value?: CstNode;
  items?: { key?: CstNode | null; value?: CstNode | null }[];
}

/**
 * Deepest nesting of collections in YAML text, from yaml's concrete syntax tree (its lexer and
 * parser are iterative and linear; composing a document is not: a few hundred nested flow
 * mappings or `? ` keys take it to gigabytes). `offset` is where the nesting passes `limit`.
 */
export function yamlDepth(text: string, limit: number): { depth: number; offset?: number } {
  let max = 0;
  const stack: [CstNode, number][] = [];
  for (const doc of new Parser().parse(text)) {
    const root = (doc as unknown as CstNode).value;
    if (root) stack.push([root, 1]);
  }
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > limit) return { depth, offset: node.offset };
    for (const item of node.items ?? []) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return { depth: max };
}
