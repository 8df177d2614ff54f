import { Node, type BindingName } from 'ts-morph';
import { statementsOf } from './walk';

/**
 * Name lookup inside one file, without a type checker: walks the enclosing scopes from a
 * use up to the file and returns the node that declares the name (a variable declaration,
 * binding element, parameter, function, class or import binding). Enough to tell an
 * imported `tool` from a local function of the same name, and to follow `const` schemas.
 */
export function findDeclaration(name: string, from: Node): Node | undefined {
  // Every scope walked through is memoised: zod-heavy files look up `z` hundreds of times.
  const walked: Node[] = [];
  let result: Node | null = null;
  for (let scope = from.getParent(); scope; scope = scope.getParent()) {
    const cached = memo.get(scope)?.get(name);
    if (cached !== undefined) {
      result = cached;
      break;
    }
    walked.push(scope);
    const found = declaredIn(scope, name);
    if (found) {
      result = found;
      break;
    }
  }
  for (const scope of walked) {
    let names = memo.get(scope);
    if (!names) memo.set(scope, (names = new Map()));
    names.set(name, result);
  }
  return result ?? undefined;
}

/** Per node, the declaration each looked-up name resolves to from inside it (null: none). */
const memo = new WeakMap<Node, Map<string, Node | null>>();

function declaredIn(scope: Node, name: string): Node | undefined {
  if (Node.isFunctionLikeDeclaration(scope) || Node.isArrowFunction(scope) || Node.isFunctionExpression(scope)) {
    for (const p of scope.getParameters()) {
      const hit = bindingNamed(p.getNameNode(), name);
      if (hit) return hit === p.getNameNode() ? p : hit;
    }
    if (Node.isFunctionExpression(scope) && scope.getName() === name) return scope;
    return undefined;
  }
  if (
    Node.isSourceFile(scope) ||
    Node.isBlock(scope) ||
    Node.isModuleBlock(scope) ||
    Node.isCaseClause(scope) ||
    Node.isDefaultClause(scope)
  ) {
    for (const st of statementsOf(scope)) {
      const hit = statementDeclares(st, name);
      if (hit) return hit;
    }
    return undefined;
  }
  if (Node.isForStatement(scope) || Node.isForOfStatement(scope) || Node.isForInStatement(scope)) {
    const init = scope.getInitializer();
    if (init && Node.isVariableDeclarationList(init)) {
      for (const d of init.getDeclarations()) {
        const hit = bindingNamed(d.getNameNode(), name);
        if (hit) return hit === d.getNameNode() ? d : hit;
      }
    }
    return undefined;
  }
  if (Node.isCatchClause(scope)) {
    const d = scope.getVariableDeclaration();
    return d && bindingNamed(d.getNameNode(), name) ? d : undefined;
  }
  return undefined;
}

function statementDeclares(st: Node, name: string): Node | undefined {
  if (Node.isVariableStatement(st)) {
    for (const d of st.getDeclarations()) {
      const hit = bindingNamed(d.getNameNode(), name);
      if (hit) return hit === d.getNameNode() ? d : hit;
    }
  } else if (Node.isFunctionDeclaration(st) || Node.isClassDeclaration(st) || Node.isEnumDeclaration(st)) {
    if (st.getName() === name) return st;
  } else if (Node.isImportDeclaration(st)) {
    const clause = st.getImportClause();
    if (!clause) return undefined;
    if (clause.getDefaultImport()?.getText() === name) return clause;
    const bindings = clause.getNamedBindings();
    if (bindings && Node.isNamespaceImport(bindings) && bindings.getName() === name) return bindings;
    if (bindings && Node.isNamedImports(bindings)) {
      for (const el of bindings.getElements()) if ((el.getAliasNode() ?? el.getNameNode()).getText() === name) return el;
    }
  } else if (Node.isImportEqualsDeclaration(st)) {
    if (st.getName() === name) return st;
  }
  return undefined;
}

/** The identifier (or binding element) that declares `name` inside a destructuring pattern. */
function bindingNamed(node: BindingName, name: string): Node | undefined {
  if (Node.isIdentifier(node)) return node.getText() === name ? node : undefined;
  for (const el of node.getElements()) {
    if (Node.isOmittedExpression(el)) continue;
    const inner = el.getNameNode();
    const hit = bindingNamed(inner, name);
    if (hit) return Node.isIdentifier(inner) ? el : hit;
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x`: none change which value it is. */
export function unwrap(expr: Node): Node {
  let e = expr;
  for (;;) {
    if (
      Node.isParenthesizedExpression(e) ||
      Node.isAsExpression(e) ||
      Node.isSatisfiesExpression(e) ||
      Node.isNonNullExpression(e) ||
      Node.isTypeAssertion(e)
    ) {
      e = e.getExpression();
    } else return e;
  }
}

/** Identifiers followed through `const` (or never-reassigned `let`) initialisers per hop. */
const MAX_HOPS = 16;

/**
 * The expression a value really is: `schema` → `z.object({...})` when `const schema = …` in
 * the same file. Stops at anything else (imports, parameters, calls) and returns it.
 */
export function resolveValue(expr: Node): Node {
  let e = unwrap(expr);
  for (let hop = 0; hop < MAX_HOPS && Node.isIdentifier(e); hop++) {
    const decl = findDeclaration(e.getText(), e);
    if (!decl || !Node.isVariableDeclaration(decl)) return e;
    const init = decl.getInitializer();
    if (!init) return e;
    e = unwrap(init);
  }
  return e;
}
