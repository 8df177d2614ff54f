import { Node } from 'ts-morph';
import { resolveValue, unwrap } from './scope';

/** Longest source excerpt quoted in a placeholder or message. */
const MAX_EXCERPT = 48;

/**
 * The value of an expression that is a string known without running anything: a literal,
 * a template without substitutions, a `const` holding one, or `+` of those.
 */
export function staticString(expr: Node, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  const e = resolveValue(expr);
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralValue();
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getText() === '+') {
    const l = staticString(e.getLeft(), depth + 1);
    const r = l === undefined ? undefined : staticString(e.getRight(), depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/** `true`/`false` literals (through `const`s). */
export function staticBoolean(expr: Node): boolean | undefined {
  const e = resolveValue(expr);
  if (Node.isTrueLiteral(e)) return true;
  if (Node.isFalseLiteral(e)) return false;
  return undefined;
}

/** The key of a property: `a`, `'a'`, `1`, `['a']`; undefined when computed at run time. */
export function propertyKey(nameNode: Node): string | undefined {
  if (Node.isIdentifier(nameNode) || Node.isPrivateIdentifier(nameNode)) return nameNode.getText();
  if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralValue();
  if (Node.isNumericLiteral(nameNode)) return String(nameNode.getLiteralValue());
  if (Node.isComputedPropertyName(nameNode)) return staticString(nameNode.getExpression());
  return undefined;
}

/**
 * The value node of property `name` in an object literal: a property's initializer, a
 * shorthand's identifier, or a method declaration itself. Spreads of objects held in a
 * `const` of the same file are looked into; later properties win, as at run time.
 */
export function objectProperty(obj: Node, name: string, depth = 0): Node | undefined {
  const o = resolveValue(obj);
  if (!Node.isObjectLiteralExpression(o) || depth > 8) return undefined;
  const props = o.getProperties();
  for (let i = props.length - 1; i >= 0; i--) {
    const p = props[i];
    if (Node.isSpreadAssignment(p)) {
      const hit = objectProperty(p.getExpression(), name, depth + 1);
      if (hit) return hit;
      continue;
    }
    if (!(
      Node.isPropertyAssignment(p) ||
      Node.isShorthandPropertyAssignment(p) ||
      Node.isMethodDeclaration(p) ||
      Node.isGetAccessorDeclaration(p)
    ))
      continue;
    if (propertyKey(p.getNameNode()) !== name) continue;
    if (Node.isPropertyAssignment(p)) return p.getInitializer();
    if (Node.isShorthandPropertyAssignment(p)) return p.getNameNode();
    return p;
  }
  return undefined;
}

/** A short, single-line excerpt of the source of a node, for placeholders and messages. */
export function excerpt(node: Node): string {
  const text = unwrap(node).getText().replace(/\s+/g, ' ');
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}
