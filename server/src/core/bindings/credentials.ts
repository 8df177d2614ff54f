import { entryOf, type LocatedValue } from '../tools/located';
import { classifyValue, isCredentialKey, looksLikeSecret } from '../tools/secrets';
import type { Checker } from './checker';
import { parseDuration } from './duration';
import type { CredentialBinding } from './model';
import { CREDENTIAL_KEYS, CREDENTIAL_TYPES, REQUIRED_CREDENTIAL } from './rules';

/** Reads `credentials[i]`; invalid parts are problems and left out. */
export function readCredential(item: LocatedValue, index: number, check: Checker): CredentialBinding | undefined {
  const path = `credentials[${index}]`;
  if (item.kind !== 'object') {
    check.report(item.range, `\`${path}\` must be a mapping with \`name\` and \`type\`.`, 'binding-invalid-value');
    return undefined;
  }
  check.keysOf(item, `${path}.`, CREDENTIAL_KEYS, `a credential`);
  const keys: CredentialBinding['keys'] = {};
  for (const e of item.entries) keys[e.key] = { key: e.keyRange, value: e.value.range };
  const cred: CredentialBinding = {
    name: check.string(entryOf(item, 'name'), `${path}.name`) ?? '',
    inlineSecrets: [],
    range: item.range,
    keys,
  };
  for (const key of REQUIRED_CREDENTIAL) {
    if (!entryOf(item, key)) check.report(item.range, `\`${path}\` needs a \`${key}\`.`, 'binding-missing-key');
  }
  const type = check.oneOf(entryOf(item, 'type'), `${path}.type`, CREDENTIAL_TYPES);
  if (type) cred.type = type;

  const ttl = entryOf(item, 'ttl');
  if (ttl) {
    const text = ttl.value.kind === 'string' || ttl.value.kind === 'number' ? String(ttl.value.value) : undefined;
    const seconds = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined) cred.ttlText = text;
    if (seconds === undefined) {
      check.report(
        ttl.value.range,
        `\`${path}.ttl\` must be a positive duration such as 15m, 1h30m, 2d, 3600s or a number of seconds; found \`${text ?? ttl.value.kind}\`.`,
        'binding-invalid-value',
      );
    } else cred.ttlSeconds = seconds;
  }
  const revoke = check.boolean(entryOf(item, 'revokeOnTaskEnd'), `${path}.revokeOnTaskEnd`);
  if (revoke !== undefined) cred.revokeOnTaskEnd = revoke;

  const ref = entryOf(item, 'secretRef');
  const refText = check.string(ref, `${path}.secretRef`);
  if (ref && refText !== undefined) {
    if (isSecretLiteral(refText))
      cred.inlineSecrets.push({ key: 'secretRef', maskedValue: classifyValue(refText).maskedValue, range: ref.value.range });
    else cred.secretRef = refText;
  }
  // A secret under a key the format does not know (`token: sk-…`) is still a secret in the file.
  for (const e of item.entries) {
    if ((CREDENTIAL_KEYS as readonly string[]).includes(e.key) || e.value.kind !== 'string') continue;
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(e.value.value);
    if (((isCredentialKey(e.key) || e.key === 'value') && !isUrl) || looksLikeSecret(e.value.value)) {
      const c = classifyValue(e.value.value);
      if (c.valueKind === 'literal') cred.inlineSecrets.push({ key: e.key, maskedValue: c.maskedValue, range: e.value.range });
    }
  }
  return cred;
}

/**
 * A `secretRef` should name where the secret lives (`vault://…`, `${env:X}`, `arn:…`, a
 * secret's name); a known secret format or a long random-looking token is the secret itself.
 */
export function isSecretLiteral(value: string): boolean {
  const v = value.trim();
  if (looksLikeSecret(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^\$\{[^}]+\}$/.test(v) || /^(env|file|secret|arn|op|vault):/i.test(v)) return false;
  return v.length >= 20 && /[A-Za-z]/.test(v) && /\d/.test(v) && !/[\s/:]/.test(v);
}
