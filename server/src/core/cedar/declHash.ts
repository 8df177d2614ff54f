import { createHash } from 'node:crypto';

/** A short content hash (keys, not security). */
export function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/**
 * A schema declaration's hash, by object: a schema rebuilt after one tool's edit keeps the other
 * declarations' objects (the text schema's conversion is remembered by text, the derived
 * fragment's by tool), and hashing a thousand of them again was ~20 ms of every such edit.
 */
const declHashes = new WeakMap<object, string>();
export function declHash(decl: unknown): string {
  if (!decl || typeof decl !== 'object') return shortHash(JSON.stringify(decl) ?? 'undefined');
  let h = declHashes.get(decl);
  if (h === undefined) declHashes.set(decl, (h = shortHash(JSON.stringify(decl))));
  return h;
}
