import type { Node as JsonNode } from 'jsonc-parser';
import type { LineIndex } from '../text/lineIndex';
import { propertiesOf, rangeOf, typeName } from './jsonNodes';
import type { Uid } from './model';

/**
 * An entity uid as Cedar's JSON writes it: `{"type": "T", "id": "i"}` or the escaped form
 * `{"__entity": {"type": "T", "id": "i"}}`. Answers the uid, or a message saying what is wrong.
 */
export function readEntityUid(node: JsonNode, what: string): Uid | { message: string } {
  if (node.type !== 'object')
    return { message: `\`${what}\` must be an entity uid like {"type": "T", "id": "i"}, not ${typeName(node)}.` };
  const props = propertiesOf(node);
  const escaped = props.get('__entity')?.value;
  if (escaped) return readEntityUid(escaped, what);
  const type = props.get('type')?.value;
  const id = props.get('id')?.value;
  if (type?.type !== 'string' || id?.type !== 'string')
    return {
      message: `\`${what}\` must be an entity uid with a string \`type\` and a string \`id\`, like {"type": "T", "id": "i"}.`,
    };
  if (!type.value) return { message: `\`${what}\` has an empty entity type.` };
  return { type: String(type.value), id: String(id.value) };
}

/** Where a uid's type is written (the `type` string), else the whole uid. */
export function uidTypeRange(node: JsonNode, lines: LineIndex): ReturnType<typeof rangeOf> {
  const props = propertiesOf(node);
  const inner = props.get('__entity')?.value;
  const type = (inner ? propertiesOf(inner) : props).get('type')?.value;
  return rangeOf(type ?? node, lines);
}
