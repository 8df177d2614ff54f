import { parseJsonTree } from '../text/jsonErrors';
import { LineIndex } from '../text/lineIndex';
import { exactValueOf } from '../text/losslessJson';
import type { SimulationInputError } from './types';

/**
 * A request's context from its JSON text, read exactly: integers beyond 2^53 stay exact (they
 * reach Cedar as written), `__extn` and `__entity` values pass through as they are. Never
 * `JSON.parse`: it rounds 64-bit integers and changes decisions. Comments and trailing commas
 * are accepted, as in every JSON file the product reads.
 */
export function readContext(text: string | undefined): { context: Record<string, unknown> } | { error: SimulationInputError } {
  if (text === undefined || !text.trim()) return { context: {} };
  const lines = new LineIndex(text);
  const { root, errors } = parseJsonTree(text, lines, { maxErrors: 1 });
  if (errors.length) {
    const { message, range } = errors[0];
    const where = `line ${range.start.line + 1}, column ${range.start.character + 1}`;
    return {
      error: { field: 'context', message: `The context is not valid JSON: ${withoutPrefix(message)} at ${where}.`, range },
    };
  }
  if (root?.type !== 'object')
    return {
      error: {
        field: 'context',
        message: `The context must be a JSON object (such as {"input": {...}}); found ${root ? `a${root.type === 'array' ? 'n' : ''} ${root.type}` : 'nothing'}.`,
        range: lines.range(root?.offset ?? 0, (root?.offset ?? 0) + (root?.length ?? 0)),
      },
    };
  return { context: exactValueOf(root, text) as Record<string, unknown> };
}

/** `Invalid JSON: comma expected` → `comma expected`. */
const withoutPrefix = (s: string) => s.replace(/^Invalid JSON: /, '');
