import { Parser } from 'yaml';

/** A YAML CST node: collections have items, whose keys and values are nodes again. */
interface CstNode {
  offset: number;
  value?: CstNode;
  items?: { key?: CstNode | null; value?: CstNode | null }[];
}

/** What composing a document would cost, read from yaml's concrete syntax tree (linear). */
export interface YamlShape {
  /** Deepest nesting of collections. */
  depth: number;
  /** Where the nesting passes the depth limit. */
  deepAt?: number;
  /** Anchors (`&a`) and aliases (`*a`) together. */
  references: number;
  /** Where they pass the references limit. */
  referencesAt?: number;
}

/**
 * The shape of YAML text, from yaml's concrete syntax tree: its lexer and parser are iterative
 * and linear, composing a document is not. A few hundred nested flow mappings or `? ` keys take
 * composing to gigabytes, and every alias is resolved by a search through the anchors before it
 * (6,500 of each in 64 KB took 7 s). Both are measured here, before composing.
 */
export function yamlShape(text: string, limits: { depth: number; references: number }): YamlShape {
  const shape: YamlShape = { depth: 0, references: 0 };
  const docs = [...new Parser().parse(text)];
  const stack: [CstNode, number][] = [];
  for (const doc of docs) {
    const root = (doc as unknown as CstNode).value;
    if (root) stack.push([root, 1]);
  }
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > shape.depth) shape.depth = depth;
    if (depth > limits.depth) return { ...shape, depth, deepAt: node.offset };
    for (const item of node.items ?? []) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  // Anchors are tokens among an item's properties, aliases are scalars: any object of the tree
  // with such a type, wherever it sits.
  const all: unknown[] = [...docs];
  while (all.length) {
    const x = all.pop();
    if (!x || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const v of x) all.push(v);
      continue;
    }
    const t = x as { type?: string; offset?: number };
    if (t.type === 'anchor' || t.type === 'alias') {
      shape.references++;
      if (shape.references > limits.references) return { ...shape, referencesAt: t.offset ?? 0 };
    }
    for (const v of Object.values(x)) if (v && typeof v === 'object') all.push(v);
  }
  return shape;
}
