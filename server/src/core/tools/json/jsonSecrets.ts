import { secretInCode, shownName } from '../codeSecrets';
import type { LocatedValue } from '../located';
import type { SecretLiteral } from '../model';
import { maskSecret } from '../secrets';

/**
 * The string values of a tool list that are secrets (AG007): by format anywhere (a `default`, an
 * example), and by key where the key names a credential (`"Authorization": "Bearer …"`,
 * `"apiKey": "…"`). Walked with an explicit stack: nesting depth is the file's to choose.
 */
export function jsonSecrets(root: LocatedValue | undefined, file: string): SecretLiteral[] {
  const out: SecretLiteral[] = [];
  const stack: { value: LocatedValue; key?: string; path: string }[] = root ? [{ value: root, path: '' }] : [];
  while (stack.length) {
    const { value, key, path } = stack.pop()!;
    if (value.kind === 'string') {
      const reason = secretInCode(value.value, key);
      if (reason) out.push({ file, range: value.range, key: key ?? path, maskedValue: maskSecret(value.value), reason });
    } else if (value.kind === 'object') {
      for (let i = value.entries.length - 1; i >= 0; i--) {
        const e = value.entries[i];
        const name = shownName(e.key);
        stack.push({ value: e.value, key: name, path: path ? `${path}.${name}` : name });
      }
    } else if (value.kind === 'array') {
      for (let i = value.items.length - 1; i >= 0; i--) stack.push({ value: value.items[i], path: `${path}[${i}]` });
    }
  }
  return out;
}
