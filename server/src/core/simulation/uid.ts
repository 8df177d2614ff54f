import { parseEntityRef } from '../bindings/principal';
import type { EntityUid } from '../cedar/gateway';

/** An entity uid in its plain form. */
export interface Uid {
  type: string;
  id: string;
}

/** `Ns::Type::"id"` → `{type, id}` (Cedar's escapes read); undefined when the text is not an entity uid. */
export function parseUid(text: string): Uid | undefined {
  return parseEntityRef(text);
}

/** Either JSON form of a uid (`{type, id}` or `{__entity: {type, id}}`) as `{type, id}`. */
export function plainUid(u: EntityUid | undefined): Uid | undefined {
  if (!u) return undefined;
  const x = ('__entity' in u ? u.__entity : u) as { type?: unknown; id?: unknown };
  return typeof x.type === 'string' && typeof x.id === 'string' ? { type: x.type, id: x.id } : undefined;
}

/** Looks like an attempt at a uid (`Type::…`), as opposed to an agent or tool name. */
export function looksLikeUid(text: string): boolean {
  return /::/.test(text);
}

/** A string as Cedar writes it: quotes, backslashes and control characters escaped. */
export function cedarString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `{type, id}` → `Ns::Type::"id"`. */
export function uidText(uid: { type: string; id: string }): string {
  return `${uid.type}::${cedarString(uid.id)}`;
}
