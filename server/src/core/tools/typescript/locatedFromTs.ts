import { Node, SyntaxKind } from 'ts-morph';
import type { LocatedEntry, LocatedValue } from '../located';
import type { FileContext } from './context';
import { propertyKey } from './literals';
import { resolveValue } from './scope';

/** Deeper literals exist only in generated code; stop well before the stack does. */
const MAX_DEPTH = 64;

/**
 * Reads a TypeScript literal (object, array, string, number, boolean, null) into a located
 * value, following `const`s of the same file; everything else becomes `other` with its text.
 * Used for JSON-Schema literals and MCP annotations written in code.
 */
export function locatedFromTs(expr: Node, ctx: FileContext, depth = 0): LocatedValue {
  const range = ctx.range(expr);
  const e = resolveValue(expr);
  if (depth > MAX_DEPTH) return { kind: 'other', text: 'too deeply nested', range };
  if (Node.isObjectLiteralExpression(e)) {
    const entries: LocatedEntry[] = [];
    for (const p of e.getProperties()) {
      if (Node.isSpreadAssignment(p)) {
        const spread = locatedFromTs(p.getExpression(), ctx, depth + 1);
        if (spread.kind === 'object') entries.push(...spread.entries);
        continue;
      }
      if (!(Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p))) continue;
      const key = propertyKey(p.getNameNode());
      if (key === undefined) continue;
      const valueNode = Node.isPropertyAssignment(p) ? p.getInitializer() : p.getNameNode();
      if (!valueNode) continue;
      entries.push({ key, keyRange: ctx.range(p.getNameNode()), value: locatedFromTs(valueNode, ctx, depth + 1) });
    }
    return { kind: 'object', entries, range };
  }
  if (Node.isArrayLiteralExpression(e)) {
    return { kind: 'array', items: e.getElements().map((el) => locatedFromTs(el, ctx, depth + 1)), range };
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
