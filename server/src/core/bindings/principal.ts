import { ENTITY_REF_PATTERN } from './rules';

const ENTITY_REF = new RegExp(ENTITY_REF_PATTERN);

/** `Agent::"billing-assistant"` → `{ type: 'Agent', id: 'billing-assistant' }`; undefined when not of that form. */
export function parseEntityRef(text: string): { type: string; id: string } | undefined {
  const m = ENTITY_REF.exec(text);
  if (!m) return undefined;
  // Cedar string escapes: `\"`, `\\`, `\n`, `\t`, `\0`, `\'` and `\u{…}`.
  const id = m[2].replace(/\\(u\{([0-9a-fA-F]{1,6})\}|.)/g, (_, esc: string, hex?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[esc] ?? esc;
  });
  return { type: m[1], id };
}
