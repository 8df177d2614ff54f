import { type KindToNodeMappings, type Node, type SyntaxKind, ts } from 'ts-morph';

/** ts-morph's own wrapper of a compiler node (the method every `getDescendants…` of it uses). */
interface WrapsCompilerNodes {
  _getNodeFromCompilerNode(node: ts.Node): Node;
}

/**
 * Descendants of one kind, in source order, like ts-morph's `getDescendantsOfKind`, but found
 * with an explicit stack over the compiler's own children. ts-morph's walk recurses (2,000 nested
 * arrow functions overflowed the stack and the file lost every tool) and computes comment nodes
 * at every statement by scanning its line (one 240 KB line took 77 s).
 */
export function descendantsOfKind<K extends SyntaxKind>(root: Node, kind: K): KindToNodeMappings[K][] {
  const k = kind as unknown as ts.SyntaxKind;
  return wrapAll(root, compilerNodesByKind(root, [k]).of(k)) as KindToNodeMappings[K][];
}

/**
 * One walk for several kinds: the compiler's nodes of each kind under `root`, in source order,
 * unwrapped (a 1 MB file walked once per kind spent half its time walking). ts-morph makes an
 * object per wrapped node, which on a 1 MB file is most of the time spent: callers that filter
 * many nodes filter these and wrap the few they keep (`wrap`, `wrapAll`).
 */
export function compilerNodesByKind(root: Node, kinds: readonly ts.SyntaxKind[]): { of: (kind: ts.SyntaxKind) => ts.Node[] } {
  const byKind = new Map<ts.SyntaxKind, ts.Node[]>(kinds.map((k) => [k, []]));
  const stack: ts.Node[] = [];
  const children: ts.Node[] = [];
  const collect = (c: ts.Node) => {
    children.push(c);
  };
  const pushChildren = (n: ts.Node) => {
    children.length = 0;
    ts.forEachChild(n, collect);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  };
  pushChildren(root.compilerNode);
  while (stack.length) {
    const n = stack.pop()!;
    byKind.get(n.kind)?.push(n);
    pushChildren(n);
  }
  return { of: (kind) => byKind.get(kind) ?? [] };
}

/** ts-morph's node for a compiler node of `root`'s file. */
export function wrap(root: Node, node: ts.Node): Node {
  return (root.getSourceFile() as unknown as WrapsCompilerNodes)._getNodeFromCompilerNode(node);
}

/** ts-morph's nodes for compiler nodes of `root`'s file. */
export function wrapAll(root: Node, nodes: readonly ts.Node[]): Node[] {
  const wrapper = root.getSourceFile() as unknown as WrapsCompilerNodes;
  return nodes.map((n) => wrapper._getNodeFromCompilerNode(n));
}

/**
 * The statements of a source file or block, without ts-morph's comment nodes: `getStatements()`
 * finds the comments around each statement by scanning its line, which is quadratic on one long
 * line of statements (minified code).
 */
export function statementsOf(container: Node): Node[] {
  return wrapAll(container, (container.compilerNode as { statements?: ts.NodeArray<ts.Statement> }).statements ?? []);
}
