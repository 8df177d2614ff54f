import { Node, SyntaxKind } from 'ts-morph';
import type { LocatedEntry, LocatedValue } from '../located';
import type { FileContext } from './context';
import { firstProperties, propertyKey } from './literals';
import { resolveValue } from './scope';
import { wrapAll } from './walk';

/** Deeper literals exist only in generated code; stop well before the stack does. */
const MAX_DEPTH = 64;

/**
 * Values read of one literal: a real schema or annotation object has dozens; a 1 MB line of
 * them took seconds (every value is a ts-morph node and a name lookup).
 */
const MAX_VALUES = 10_000;

/** What stands for values past `MAX_VALUES`. */
const tooLarge = (range: LocatedValue['range']): LocatedValue => ({
  kind: 'other',
  text: `too large (over ${MAX_VALUES.toLocaleString('en-US')} values)`,
  range,
});

/**
 * Reads a TypeScript literal (object, array, string, number, boolean, null) into a located
 * value, following `const`s of the same file; everything else becomes `other` with its text.
 * Used for JSON-Schema literals and MCP annotations written in code.
 */
export function locatedFromTs(expr: Node, ctx: FileContext, depth = 0, budget = { left: MAX_VALUES }): LocatedValue {
  const range = ctx.range(expr);
  if (depth > MAX_DEPTH) return { kind: 'other', text: 'too deeply nested', range };
  if (--budget.left < 0) return tooLarge(range);
  const e = resolveValue(expr);
  if (Node.isObjectLiteralExpression(e)) {
    const entries: LocatedEntry[] = [];
    // No more properties than values left to read: each is wrapped in a ts-morph node.
    for (const p of firstProperties(e, Math.max(0, budget.left)).properties) {
      if (Node.isSpreadAssignment(p)) {
        const spread = locatedFromTs(p.getExpression(), ctx, depth + 1, budget);
        if (spread.kind === 'object') entries.push(...spread.entries);
        continue;
      }
      if (!(Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p))) continue;
      const key = propertyKey(p.getNameNode());
      if (key === undefined) continue;
      const valueNode = Node.isPropertyAssignment(p) ? p.getInitializer() : p.getNameNode();
      if (!valueNode) continue;
      entries.push({ key, keyRange: ctx.range(p.getNameNode()), value: locatedFromTs(valueNode, ctx, depth + 1, budget) });
    }
    return { kind: 'object', entries, range };
  }
  if (Node.isArrayLiteralExpression(e)) {
    const elements = e.compilerNode.elements.slice(0, Math.max(0, budget.left));
    const items = wrapAll(e, elements).map((el) => locatedFromTs(el, ctx, depth + 1, budget));
    // What was left unread is said, not dropped.
    if (elements.length < e.compilerNode.elements.length) items.push(tooLarge(range));
    return { kind: 'array', items, range };
  }
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e))
    return { kind: 'string', value: e.getLiteralValue(), range };
  if (Node.isNumericLiteral(e)) return { kind: 'number', value: e.getLiteralValue(), range };
  if (Node.isPrefixUnaryExpression(e) && e.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = e.getOperand();
    if (Node.isNumericLiteral(operand)) return { kind: 'number', value: -operand.getLiteralValue(), range };
  }
  if (Node.isTrueLiteral(e) || Node.isFalseLiteral(e)) return { kind: 'boolean', value: Node.isTrueLiteral(e), range };
  if (Node.isNullLiteral(e)) return { kind: 'null', range };
  return { kind: 'other', text: e.getText(), range };
}
