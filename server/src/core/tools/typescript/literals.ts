import { Node, type ObjectLiteralExpression, ts } from 'ts-morph';
import { resolveValue, unwrap } from './scope';
import { wrap, wrapAll } from './walk';

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
  const props = o.compilerNode.properties;
  for (const i of candidates(o.compilerNode, name)) {
    const c = props[i];
    if (ts.isSpreadAssignment(c)) {
      const spread = wrap(o, c) as import('ts-morph').SpreadAssignment;
      const hit = objectProperty(spread.getExpression(), name, depth + 1);
      if (hit) return hit;
      continue;
    }
    const p = wrap(o, c);
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

/** An object literal's properties by plain key, and those whose key must be worked out (spreads, computed keys). */
interface PropertyIndex {
  plain: Map<string, number[]>;
  other: number[];
}
const indexes = new WeakMap<ts.ObjectLiteralExpression, PropertyIndex>();

/**
 * Indexes of the properties that may hold `name`, last first (later properties win). Each object
 * is indexed once: looking a tool's few keys up by walking all its properties took seconds for
 * an object of 262,000 shorthand properties (a 1 MB line), and only the candidates are wrapped.
 */
function candidates(o: ts.ObjectLiteralExpression, name: string): number[] {
  let index = indexes.get(o);
  if (!index) {
    index = { plain: new Map(), other: [] };
    o.properties.forEach((c, i) => {
      const key = 'name' in c ? c.name : undefined;
      if (key && (ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key))) {
        const list = index!.plain.get(key.text);
        if (list) list.push(i);
        else index!.plain.set(key.text, [i]);
      } else index!.other.push(i);
    });
    indexes.set(o, index);
  }
  const plain = index.plain.get(name) ?? [];
  return (index.other.length ? [...plain, ...index.other].sort((a, b) => a - b) : plain).slice().reverse();
}

/**
 * The first `max` properties of an object literal as ts-morph nodes, and how many there are:
 * ts-morph wraps every property it is asked for, which for an object of 262,000 properties (a
 * 1 MB line) is seconds; readers that stop after `max` ask for no more.
 */
export function firstProperties(o: ObjectLiteralExpression, max: number): { properties: Node[]; count: number } {
  const all = o.compilerNode.properties;
  return { properties: wrapAll(o, all.slice(0, max)), count: all.length };
}

/** A short, single-line excerpt of the source of a node, for placeholders and messages. */
export function excerpt(node: Node): string {
  const text = unwrap(node).getText().replace(/\s+/g, ' ');
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}
