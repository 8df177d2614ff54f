import { ts, type SourceFile } from 'ts-morph';
import type { LineIndex } from '../../text/lineIndex';
import { mayBeSecret, namesSecret, secretInCode, shownName } from '../codeSecrets';
import type { SecretLiteral } from '../model';
import { maskSecret } from '../secrets';

/** Longest callee text used to say where a literal is passed (`new Stripe(…)`). */
const MAX_CALLEE_TEXT = 40;

/**
 * The string literals of a tool file that are secrets (AG007), statically: by their value's
 * format (`new Stripe("sk_live_…")`) or by the name they are assigned to (`apiKey: "…"`,
 * `Authorization: "Bearer …"`, `const TOKEN = "…"`, `headers.set("x-api-key", "…")`). Works on
 * the compiler's nodes from the file's one walk; only a secret's masked form is kept.
 */
export function secretLiterals(sf: SourceFile, literals: readonly ts.Node[], file: string, lines: LineIndex): SecretLiteral[] {
  const source = sf.compilerNode;
  const out: SecretLiteral[] = [];
  for (const node of literals) {
    const value = (node as ts.StringLiteralLike).text;
    // Most literals of code are prose or short words: dropped before their context is looked at.
    if (!mayBeSecret(value) || isNotAValue(node)) continue;
    const name = nameOf(node);
    const reason = secretInCode(value, name);
    if (!reason) continue;
    out.push({
      file,
      range: lines.range(node.getStart(source), node.end),
      key: name !== undefined ? shownName(name) : placeOf(node, source),
      maskedValue: maskSecret(value),
      reason,
    });
  }
  return out;
}

/*
 * Syntax kinds as plain numbers: every literal of a file passes these tests, and each `ts.isX` is a
 * property lookup on the compiler's namespace of thousands of exports.
 */
const K = ts.SyntaxKind;
const NAME_ONLY_PARENTS = new Set<ts.SyntaxKind>([
  K.ImportDeclaration,
  K.ExportDeclaration,
  K.ExternalModuleReference,
  K.LiteralType,
]);
const NAMED_MEMBERS = new Set<ts.SyntaxKind>([
  K.PropertyAssignment,
  K.PropertyDeclaration,
  K.MethodDeclaration,
  K.PropertySignature,
  K.EnumMember,
]);
/** Around a literal without changing whose value it is. */
const TRANSPARENT = new Set<ts.SyntaxKind>([
  K.ParenthesizedExpression,
  K.AsExpression,
  K.SatisfiesExpression,
  K.NonNullExpression,
  K.TypeAssertionExpression,
]);
/** A fallback's right side is still the value given to the outer name (`process.env.X ?? "…"`). */
const FALLBACK_OPERATORS = new Set<ts.SyntaxKind>([K.QuestionQuestionToken, K.BarBarToken]);
/** Assignments give their right side to the left's name (`this.apiKey ??= "…"`). */
const ASSIGNMENTS = new Set<ts.SyntaxKind>([K.EqualsToken, K.QuestionQuestionEqualsToken, K.BarBarEqualsToken]);
const { CallExpression, ConditionalExpression, BinaryExpression, Identifier, ImportKeyword } = K;

/** Literals that are names, not values: module specifiers, property names, literal types. */
function isNotAValue(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if (NAME_ONLY_PARENTS.has(p.kind)) return true;
  if (p.kind === CallExpression) {
    const callee = (p as ts.CallExpression).expression;
    return callee.kind === ImportKeyword || (callee.kind === Identifier && (callee as ts.Identifier).text === 'require');
  }
  return NAMED_MEMBERS.has(p.kind) && (p as ts.NamedDeclaration).name === node;
}

/**
 * The name a literal is assigned to: a variable, property, class field, parameter or destructuring
 * default, an assignment's target, a JSX attribute, or the header name before it in a call
 * (`headers.set("Authorization", "…")`) or a pair (`["x-api-key", "…"]`). Parentheses, casts, `??`,
 * `||` and `?:` around the literal do not change whose value it is.
 */
function nameOf(node: ts.Node): string | undefined {
  let child: ts.Node = node;
  let p = node.parent;
  while (
    p &&
    (TRANSPARENT.has(p.kind) ||
      (p.kind === ConditionalExpression && (p as ts.ConditionalExpression).condition !== child) ||
      (p.kind === BinaryExpression &&
        (p as ts.BinaryExpression).right === child &&
        FALLBACK_OPERATORS.has((p as ts.BinaryExpression).operatorToken.kind)))
  ) {
    child = p;
    p = p.parent;
  }
  if (!p) return undefined;
  if (
    (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) &&
    p.initializer === child &&
    ts.isIdentifier(p.name)
  )
    return p.name.text;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isEnumMember(p)) && p.initializer === child)
    return propertyName(p.name);
  if (ts.isBinaryExpression(p) && p.right === child && ASSIGNMENTS.has(p.operatorToken.kind)) return targetName(p.left);
  if (ts.isJsxAttribute(p) && p.initializer === child) return ts.isIdentifier(p.name) ? p.name.text : undefined;
  // A header name right before the value, in a call or a pair.
  const siblings: readonly ts.Expression[] | undefined =
    ts.isCallExpression(p) || ts.isNewExpression(p)
      ? (p.arguments ?? [])
      : ts.isArrayLiteralExpression(p) && p.elements.length === 2
        ? p.elements
        : undefined;
  const before = siblings ? siblings[siblings.indexOf(child as ts.Expression) - 1] : undefined;
  if (before && ts.isStringLiteralLike(before) && namesSecret(before.text)) return before.text;
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name))
    return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** `apiKey = …`, `this.apiKey = …`, `headers["x-api-key"] = …`. */
function targetName(target: ts.Expression): string | undefined {
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  if (ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression))
    return target.argumentExpression.text;
  return undefined;
}

/** Where an unnamed literal is passed, for the message: `new Stripe(…)`, `createClient(…)`. */
function placeOf(node: ts.Node, source: ts.SourceFile): string {
  let child: ts.Node = node;
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) {
    child = p;
    p = p.parent;
  }
  if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression !== child) {
    // Only a plain name or member chain is quoted: any other callee could itself hold a literal.
    const callee = p.expression.getText(source);
    if (!/^[\w$.]+$/.test(callee)) return 'call argument';
    const shown = callee.length <= MAX_CALLEE_TEXT ? callee : callee.slice(callee.lastIndexOf('.') + 1).slice(-MAX_CALLEE_TEXT);
    return `${ts.isNewExpression(p) ? 'new ' : ''}${shown}(…)`;
  }
  return 'string literal';
}
