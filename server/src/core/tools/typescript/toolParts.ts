import { Node } from 'ts-morph';
import type { Range } from '../../text/range';
import { annotationsFrom } from '../annotations';
import type { ToolAnnotations } from '../model';
import type { FileContext } from './context';
import { excerpt, objectProperty, staticBoolean, staticString } from './literals';
import { locatedFromTs } from './locatedFromTs';

/** A tool's name as read from code. */
export interface ToolName {
  name: string;
  nameKnown: boolean;
  nameRange: Range;
}

/**
 * The name a tool gets from an expression. A name computed at run time is never guessed:
 * the tool gets a readable placeholder and the file a `tool-name-unknown` problem.
 */
export function nameFrom(expr: Node | undefined, anchor: Node, ctx: FileContext): ToolName {
  if (expr) {
    const value = staticString(expr);
    if (value !== undefined) return { name: value, nameKnown: true, nameRange: ctx.range(expr) };
    return unknownName(
      `<computed: ${excerpt(expr)}>`,
      expr,
      ctx,
      `The tool name \`${excerpt(expr)}\` is computed at run time, so it cannot be matched to a Cedar action or a binding.`,
    );
  }
  return unknownName(
    '<unnamed tool>',
    anchor,
    ctx,
    'This tool has no statically known name, so it cannot be matched to a Cedar action or a binding.',
  );
}

/** Reports an unknown name and returns its placeholder. */
export function unknownName(placeholder: string, at: Node, ctx: FileContext, message: string): ToolName {
  ctx.problem(at, message, 'tool-name-unknown');
  return { name: placeholder, nameKnown: false, nameRange: ctx.range(at) };
}

/** A static string property of a config object (`description`, `title`). */
export function stringProperty(config: Node | undefined, key: string): string | undefined {
  const v = config && objectProperty(config, key);
  return v ? staticString(v) : undefined;
}

/** MCP annotations from an object expression, through `const`s of the file. */
export function annotationsOf(expr: Node | undefined, ctx: FileContext): ToolAnnotations | undefined {
  return expr ? annotationsFrom(locatedFromTs(expr, ctx)) : undefined;
}

/** `needsApproval: true` → true; a function or any other expression → `'dynamic'`. */
export function needsApprovalOf(config: Node | undefined): boolean | 'dynamic' | undefined {
  const v = config && objectProperty(config, 'needsApproval');
  if (!v) return undefined;
  return staticBoolean(v) ?? 'dynamic';
}

/** Drops undefined members so results compare and serialise cleanly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
