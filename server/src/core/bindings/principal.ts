import { unquote } from '../cedar/lexer';
import { ENTITY_REF_PATTERN } from './rules';

const ENTITY_REF = new RegExp(ENTITY_REF_PATTERN);

/** `Agent::"billing-assistant"` → `{ type: 'Agent', id: 'billing-assistant' }`; undefined when not of that form. */
export function parseEntityRef(text: string): { type: string; id: string } | undefined {
  const m = ENTITY_REF.exec(text);
  if (!m) return undefined;
  return { type: m[1], id: unquote(`"${m[2]}"`) };
}
