import { Node, ts } from 'ts-morph';
import { wrap } from './walk';

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

/**
 * What declares `name` directly in `scope`. Read from the compiler's nodes, and only the hit is
 * wrapped in a ts-morph node: wrapping every statement, import and parameter of a scope on each
 * lookup took seconds for scopes of 262,000 of them (a 1 MB line).
 */
function declaredIn(scope: Node, name: string): Node | undefined {
  const hit = declaredInCompiler(scope.compilerNode, name);
  return hit && wrap(scope, hit);
}

function declaredInCompiler(scope: ts.Node, name: string): ts.Node | undefined {
  if (
    ts.isFunctionDeclaration(scope) ||
    ts.isMethodDeclaration(scope) ||
    ts.isConstructorDeclaration(scope) ||
    ts.isGetAccessorDeclaration(scope) ||
    ts.isSetAccessorDeclaration(scope) ||
    ts.isFunctionExpression(scope) ||
    ts.isArrowFunction(scope)
  ) {
    for (const p of scope.parameters) {
      const hit = declaring(p, name);
      if (hit) return hit;
    }
    if (ts.isFunctionExpression(scope) && scope.name?.text === name) return scope;
    return undefined;
  }
  if (
    ts.isSourceFile(scope) ||
    ts.isBlock(scope) ||
    ts.isModuleBlock(scope) ||
    ts.isCaseClause(scope) ||
    ts.isDefaultClause(scope)
  ) {
    for (const st of scope.statements) {
      const hit = statementDeclares(st, name);
      if (hit) return hit;
    }
    return undefined;
  }
  if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) {
      for (const d of init.declarations) {
        const hit = declaring(d, name);
        if (hit) return hit;
      }
    }
    return undefined;
  }
  if (ts.isCatchClause(scope)) {
    const d = scope.variableDeclaration;
    return d && bindingNamed(d.name, name) ? d : undefined;
  }
  return undefined;
}

function statementDeclares(st: ts.Statement, name: string): ts.Node | undefined {
  if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      const hit = declaring(d, name);
      if (hit) return hit;
    }
  } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
    if (st.name?.text === name) return st;
  } else if (ts.isImportDeclaration(st)) {
    const clause = st.importClause;
    if (!clause) return undefined;
    if (clause.name?.text === name) return clause;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if (el.name.text === name) return el;
    }
  } else if (ts.isImportEqualsDeclaration(st)) {
    if (st.name.text === name) return st;
  }
  return undefined;
}

/**
 * What declares `name` in a parameter or variable declaration: the declaration itself for a plain
 * name, the binding element inside a destructuring pattern.
 */
function declaring(d: ts.ParameterDeclaration | ts.VariableDeclaration, name: string): ts.Node | undefined {
  const hit = bindingNamed(d.name, name);
  return hit === d.name ? d : hit;
}

/** The identifier (or binding element) that declares `name` inside a destructuring pattern. */
function bindingNamed(node: ts.BindingName, name: string): ts.Node | undefined {
  if (ts.isIdentifier(node)) return node.text === name ? node : undefined;
  for (const el of node.elements) {
    if (ts.isOmittedExpression(el)) continue;
    const inner = el.name;
    const hit = bindingNamed(inner, name);
    if (hit) return ts.isIdentifier(inner) ? el : hit;
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

/** `unwrap` on the compiler's nodes: parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function unwrapCompiler(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  )
    e = e.expression;
  return e;
}
