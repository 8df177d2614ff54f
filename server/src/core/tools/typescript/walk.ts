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
  const found: ts.Node[] = [];
  const stack: ts.Node[] = [];
  const pushChildren = (n: ts.Node) => {
    const children: ts.Node[] = [];
    ts.forEachChild(n, (c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  };
  pushChildren(root.compilerNode);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === (kind as unknown as ts.SyntaxKind)) found.push(n);
    pushChildren(n);
  }
  const wrapper = root.getSourceFile() as unknown as WrapsCompilerNodes;
  return found.map((n) => wrapper._getNodeFromCompilerNode(n) as KindToNodeMappings[K]);
}

/**
 * The statements of a source file or block, without ts-morph's comment nodes: `getStatements()`
 * finds the comments around each statement by scanning its line, which is quadratic on one long
 * line of statements (minified code).
 */
export function statementsOf(container: Node): Node[] {
  const statements = (container.compilerNode as { statements?: ts.NodeArray<ts.Statement> }).statements ?? [];
  const wrapper = container.getSourceFile() as unknown as WrapsCompilerNodes;
  return statements.map((s) => wrapper._getNodeFromCompilerNode(s));
}
