import {
  type ClassDeclaration,
  type ConstructorDeclaration,
  Node,
  type ParameterDeclaration,
  type PropertyDeclaration,
  SyntaxKind,
  ts,
} from 'ts-morph';
import type { FileContext } from './context';
import { objectProperty, staticString } from './literals';
import { findDeclaration, unwrap } from './scope';
import { isMcpModule } from './sdkModules';
import { descendantsOfKind, wrap, wrapAll } from './walk';

/** An `McpServer` a call is made on; `name` when `new McpServer({name})` is visible. */
export interface McpServerRef {
  name?: string;
}

/**
 * Whether `receiver` (the `server` of `server.tool(...)`) is an `McpServer` of the SDK: a
 * variable initialised with `new McpServer(...)`, a parameter or variable typed `McpServer`,
 * or a class property (`this.server`) that is either.
 */
export function mcpServerOf(receiver: Node, ctx: FileContext): McpServerRef | undefined {
  const r = unwrap(receiver);
  if (Node.isIdentifier(r)) {
    const decl = findDeclaration(r.getText(), r);
    if (decl && (Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl))) return fromDeclaration(decl, ctx);
    return undefined;
  }
  if (Node.isPropertyAccessExpression(r) && r.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const cls = r.getFirstAncestorByKind(SyntaxKind.ClassDeclaration) ?? r.getFirstAncestorByKind(SyntaxKind.ClassExpression);
    return cls ? fromClassMember(cls as ClassDeclaration, r.getName(), ctx) : undefined;
  }
  return undefined;
}

function fromDeclaration(decl: Node, ctx: FileContext): McpServerRef | undefined {
  if (!(Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isPropertyDeclaration(decl)))
    return undefined;
  const init = decl.getInitializer();
  if (init) {
    const ref = fromNew(init, ctx);
    if (ref) return ref;
  }
  const type = decl.getTypeNode();
  return type && isMcpServerType(type, ctx) ? {} : undefined;
}

/**
 * Per class (the compiler's node) and member name, what `this.<member>` is: every
 * `this.server.tool(…)` of a class asks, and each answer reads all the class's members (a class
 * of 262,000 members on one line made that quadratic).
 */
const classMembers = new WeakMap<object, Map<string, McpServerRef | undefined>>();

function fromClassMember(cls: ClassDeclaration, member: string, ctx: FileContext): McpServerRef | undefined {
  let known = classMembers.get(cls.compilerNode);
  if (!known) classMembers.set(cls.compilerNode, (known = new Map()));
  if (known.has(member)) return known.get(member);
  const ref = readClassMember(cls, member, ctx);
  known.set(member, ref);
  return ref;
}

function readClassMember(cls: ClassDeclaration, member: string, ctx: FileContext): McpServerRef | undefined {
  // The members are searched as the compiler holds them and only the ones used are wrapped
  // (ts-morph's `getProperty` wraps them all: 1.5 s for a class of 262,000 members).
  const members = cls.compilerNode.members;
  const declared = members.find((m) => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === member);
  const prop = declared && (wrap(cls, declared) as PropertyDeclaration);
  const fromProp = prop && fromDeclaration(prop, ctx);
  if (fromProp) return fromProp;
  const ctors = wrapAll(cls, members.filter(ts.isConstructorDeclaration)) as ConstructorDeclaration[];
  for (const ctor of ctors) {
    // `constructor(private server: McpServer)`.
    const declaredParam = ctor.compilerNode.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === member);
    const param = declaredParam && (wrap(cls, declaredParam) as ParameterDeclaration);
    if (param?.isParameterProperty()) {
      const ref = fromDeclaration(param, ctx);
      if (ref) return ref;
    }
    // `this.server = new McpServer(...)` in the constructor.
    for (const assign of descendantsOfKind(ctor, SyntaxKind.BinaryExpression)) {
      const left = assign.getLeft();
      if (assign.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      if (
        Node.isPropertyAccessExpression(left) &&
        left.getName() === member &&
        left.getExpression().getKind() === SyntaxKind.ThisKeyword
      ) {
        const ref = fromNew(assign.getRight(), ctx);
        if (ref) return ref;
      }
    }
  }
  return prop?.getTypeNode() && isMcpServerType(prop.getTypeNodeOrThrow(), ctx) ? {} : undefined;
}

/** `new McpServer({ name: 'billing', version: '1.0.0' })` → `{ name: 'billing' }`. */
export function fromNew(expr: Node, ctx: FileContext): McpServerRef | undefined {
  const e = unwrap(expr);
  if (!Node.isNewExpression(e)) return undefined;
  const ctor = ctx.imports.resolve(e.getExpression());
  if (!ctor || !isMcpModule(ctor.module) || ctor.name !== 'McpServer') return undefined;
  const info = e.getArguments()[0];
  const nameNode = info && objectProperty(info, 'name');
  const name = nameNode && staticString(nameNode);
  return name !== undefined ? { name } : {};
}

/** A type annotation naming the SDK's `McpServer` (`McpServer` or `mcp.McpServer`). */
function isMcpServerType(type: Node, ctx: FileContext): boolean {
  if (!Node.isTypeReference(type)) return false;
  const name = type.getTypeName();
  if (Node.isIdentifier(name)) {
    const imported = ctx.imports.resolve(name);
    return !!imported && isMcpModule(imported.module) && imported.name === 'McpServer';
  }
  const left = name.getLeft();
  const ns = Node.isIdentifier(left) ? ctx.imports.resolve(left) : undefined;
  return !!ns && ns.name === '*' && isMcpModule(ns.module) && name.getRight().getText() === 'McpServer';
}
