import { nameWords } from './risk';
import { looksLikeSecret, maskSecret, SCHEME } from './secrets';

/*
 * Which string literals of tool code and tool lists are secrets (AG007). Code is full of strings,
 * so this is stricter than the reading of MCP `env`/`headers` (where every literal under a
 * credential key is one): a literal counts when its value has a well-known secret format, or when
 * the name it is assigned to says "credential" and the value looks like one. Placeholders never
 * count, whatever their name or format.
 */

/** Why a literal counts as a secret. */
export type SecretReason = 'format' | 'name';

/**
 * Last words of a name that say it holds the credential itself (`apiKey`, `STRIPE_SECRET_KEY`,
 * `authToken`, `Authorization`, `x-api-key`). A name ending in another word holds something about
 * a credential (`apiKeyHeader`, `tokenUrl`, `API_KEY_ENV`, `passwordField`), not the credential.
 */
const SECRET_LAST_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'authorization',
  'auth',
  'credential',
  'credentials',
  'bearer',
  'pat',
]);

/** Passwords are chosen by people: no length or randomness says they are one, the name does. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);

/** `key` and `token` qualified like this name something else (a React key, a sort key, a page token). */
const NOT_SECRET_QUALIFIERS = new Set([
  'primary',
  'foreign',
  'sort',
  'cache',
  'partition',
  'idempotency',
  'storage',
  'map',
  'lookup',
  'public',
  'publishable',
  'routing',
  'group',
  'object',
  'row',
  'composite',
  'unique',
  'dedupe',
  'dedup',
  'i18n',
  'translation',
  'query',
  'local',
  'index',
  'list',
  'item',
  'entry',
  'record',
  'bucket',
  'file',
  'field',
  'column',
  'table',
  'prefix',
  'search',
  'shortcut',
  'hot',
  'lock',
  'page',
  'next',
  'continuation',
  'cursor',
  'sync',
  'csrf',
]);

/**
 * Values that stand for a secret without being one: empty, a reference or template, masked or
 * elided text (`sk_test_xxx`, `****`, `sk-...`), a run of one character, or words saying so
 * (`<your key>`, `YOUR_API_KEY`, `changeme`, AWS's documented `AKIAIOSFODNN7EXAMPLE`).
 */
const PLACEHOLDER_PATTERNS: RegExp[] = [
  /^\s*$/,
  /<[^>]*>|\{\{[^}]*\}\}|\$\{[^}]*\}|%[sd]\b/,
  /x{3,}|\*{3,}|\.{3}|…/i,
  /(.)\1{5,}/,
  /example|sample|placeholder|dummy|changeme|change[-_ ]me|replace[-_ ]?(me|with|this)|redacted|your[-_ ]|insert[-_ ]|todo|fixme|fake|mock|not[-_ ]?a[-_ ]?real|notreal/i,
  /^(password|secret|token|api[-_ ]?key|key|none|null|undefined|test|demo|admin)$/i,
];

/** True when a value only stands for a secret (see `PLACEHOLDER_PATTERNS`). */
export function isPlaceholderSecret(value: string): boolean {
  return PLACEHOLDER_PATTERNS.some((p) => p.test(value));
}

/** An 8192-bit RSA private key in PEM is about 6,400 characters. */
const MAX_SECRET_LENGTH = 16_384;

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * A PEM key is long base64, where the placeholder words and runs above turn up by chance (DER's
 * zero bytes make `AAAAAA`): only a body too short to be a key, or elided, stands for one.
 */
function isPemPlaceholder(value: string): boolean {
  const body = value.replace(/-----(BEGIN|END) [A-Z ]*-----/g, '').replace(/\\n|\s/g, '');
  return body.length < 64 || /\.{3}|…|<[^>]*>/.test(body);
}

/** Publishable keys are public by design (Stripe's `pk_live_…` goes to every browser). */
const PUBLIC_BY_DESIGN = /^pk_(live|test)_/;

/** True when a name (variable, property, header, parameter) says it holds a credential itself. */
export function namesSecret(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last || !SECRET_LAST_WORDS.has(last)) return false;
  const before = words[words.length - 2];
  // A bare `key` is a map key, a React key, an object key: it needs a qualifier (`apiKey`, `stripeKey`).
  if (last === 'key' && !before) return false;
  return !(before && (last === 'key' || last === 'token') && NOT_SECRET_QUALIFIERS.has(before));
}

/** Bits per character: random tokens have many, words and identifiers few. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/**
 * A value under a credential name that looks like the credential, not like a setting about it:
 * not an env variable's name (`STRIPE_API_KEY`), a path or a URL, a header name or a word. A
 * password needs only to be a single word of six characters or more; a key or token must look
 * random (letters and digits, 12 characters or more, no less than 3 bits of entropy each).
 */
function looksLikeCredentialValue(value: string, password: boolean): boolean {
  const v = value.trim().replace(SCHEME, '');
  if (/\s/.test(v) || /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v) || /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(v)) return false;
  if (password) return v.length >= 6;
  return v.length >= 12 && /^[A-Za-z0-9_\-+/=.~]+$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 3;
}

/** Shorter than any credential worth reporting (a password needs six characters). */
const MIN_SECRET_LENGTH = 6;

/**
 * A cheap first look, before a literal's context is read: the length of a credential, and no
 * space past an auth scheme unless it is a PEM key (prose, messages and descriptions, most
 * strings of code, stop here).
 */
export function mayBeSecret(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) return false;
  return !/\s/.test(value.trim().replace(SCHEME, '')) || PEM.test(value);
}

/**
 * Whether a string literal of tool code (or a tool list) is a secret, and why. `name` is what the
 * literal is assigned to (variable, property, header, parameter), when anything.
 */
export function secretInCode(value: string, name: string | undefined): SecretReason | undefined {
  if (!mayBeSecret(value)) return undefined;
  if (PEM.test(value)) return isPemPlaceholder(value) ? undefined : 'format';
  if (isPlaceholderSecret(value) || PUBLIC_BY_DESIGN.test(value.trim())) return undefined;
  if (looksLikeSecret(value)) return 'format';
  if (!name || !namesSecret(name)) return undefined;
  const words = nameWords(name);
  return looksLikeCredentialValue(value, PASSWORD_WORDS.has(words[words.length - 1])) ? 'name' : undefined;
}

/** A name as it may be shown: a key that is itself a secret (`{"sk_live_…": …}`) is masked too. */
export function shownName(name: string): string {
  return looksLikeSecret(name) ? maskSecret(name) : name;
}
