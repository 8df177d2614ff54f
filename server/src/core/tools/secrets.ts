import { nameWords } from './risk';

/** How a credential value is given. Only `literal` can be a hard-coded secret. */
export type ValueKind = 'literal' | 'input-ref' | 'env-ref' | 'empty';

/** A value as it may be shown: a literal is masked, a reference is shown as written. */
export interface ClassifiedValue {
  valueKind: ValueKind;
  /** Never the full literal: `sk-l…(51 chars)`; references and empty values as written. */
  maskedValue: string;
  /** The `x` of `${input:x}` / `${env:x}` / `${x}`. */
  refName?: string;
}

/** Words (of snake/camel/kebab names) that mark a key or header as holding a credential. */
const CREDENTIAL_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'session',
  'pat',
  'bearer',
  'signature',
  'private',
  'dsn',
]);

/** Well-known secret formats; a value like this is a secret whatever its key is called. */
const SECRET_PATTERNS: RegExp[] = [
  /^(sk|rk)[-_](live|test|proj|ant)?[-_A-Za-z0-9]{16,}$/,
  /^sk-[A-Za-z0-9_-]{20,}$/,
  /^gh[pousr]_[A-Za-z0-9]{20,}$/,
  /^github_pat_[A-Za-z0-9_]{20,}$/,
  /^glpat-[A-Za-z0-9_-]{20,}$/,
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{35}$/,
  /^(npm|hf|pypi)_[A-Za-z0-9]{20,}$/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  // A URL with a password in it (`postgres://app:hunter2@db/app`).
  /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
];

/** `${input:id}`, `${env:NAME}` (VS Code), `${NAME}` / `${NAME:-default}` (Claude Code). */
const REF = /\$\{(input|env):([^}]+)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;
/** An auth scheme before a reference or token (`Bearer ${input:token}`). */
export const SCHEME = /^(Bearer|Basic|Token|Bot|ApiKey)\s+/i;

/** True when a key or header name says it holds a credential (`OPENAI_API_KEY`, `x-api-key`, `Authorization`). */
export function isCredentialKey(key: string): boolean {
  const words = nameWords(key);
  return words.some((w) => CREDENTIAL_WORDS.has(w)) || /apikey|accesskey|secretkey|privatekey|password|passwd|secret/i.test(key);
}

/** True when a value has the form of a well-known secret (API keys, tokens, private keys). */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim().replace(SCHEME, '');
  return SECRET_PATTERNS.some((p) => p.test(v));
}

/** Classifies a value and masks it if it is a literal. */
export function classifyValue(value: string): ClassifiedValue {
  if (value.trim() === '') return { valueKind: 'empty', maskedValue: '' };
  const refs = [...value.matchAll(REF)];
  // A reference with nothing else but an auth scheme around it is a reference, not a literal.
  if (
    refs.length > 0 &&
    value
      .replace(REF, '')
      .trim()
      .replace(SCHEME, '')
      .replace(/^(Bearer|Basic|Token|Bot|ApiKey)$/i, '')
      .trim() === ''
  ) {
    const m = refs[0];
    const kind: ValueKind = m[1] === 'input' ? 'input-ref' : 'env-ref';
    return { valueKind: kind, maskedValue: value, refName: m[2] ?? m[3] };
  }
  return { valueKind: 'literal', maskedValue: maskSecret(value) };
}

/**
 * Masks a secret so it can be shown in a diagnostic: a few leading characters (none for
 * short values) and the length, e.g. `sk-l…(51 chars)`. An auth scheme stays readable.
 */
export function maskSecret(value: string): string {
  const scheme = SCHEME.exec(value);
  const rest = scheme ? value.slice(scheme[0].length) : value;
  const shown = rest.length >= 16 ? 4 : rest.length >= 10 ? 2 : 0;
  return `${scheme ? scheme[0] : ''}${rest.slice(0, shown)}…(${rest.length} chars)`;
}

/**
 * A message with every secret-looking word in it masked: messages quote the files they are about
 * (a YAML parser's "unexpected scalar", an unknown key), and a file can hold a literal secret.
 */
export function redactSecrets(message: string): string {
  return message.replace(/[^\s"'`,;()[\]{}<>]{8,}/g, (word) => (looksLikeSecret(word) ? maskSecret(word) : word));
}
