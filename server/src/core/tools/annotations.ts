import type { ToolAnnotations } from './model';
import { stringOf, type LocatedValue } from './located';

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/**
 * MCP tool annotations from a literal (JSON or a TypeScript object). Only literal values
 * count; a hint computed at run time is left out rather than guessed.
 */
export function annotationsFrom(value: LocatedValue | undefined): ToolAnnotations | undefined {
  if (value?.kind !== 'object') return undefined;
  const out: ToolAnnotations = {};
  const title = stringOf(value, 'title');
  if (title !== undefined) out.title = title;
  for (const hint of HINTS) {
    const entry = value.entries.find((e) => e.key === hint);
    if (entry?.value.kind === 'boolean') out[hint] = entry.value.value;
  }
  return Object.keys(out).length > 0 ? out : {};
}

/** True when an object literal only holds annotation keys (how the legacy `server.tool()` tells them from a shape). */
export function isAnnotationKey(key: string): boolean {
  return key === 'title' || (HINTS as readonly string[]).includes(key);
}
