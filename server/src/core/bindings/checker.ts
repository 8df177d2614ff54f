import { didYouMean } from '../text/didYouMean';
import type { Range } from '../text/range';
import { describeKind, type LocatedEntry, type LocatedValue } from '../tools/located';
import type { DiscoveryProblem, DiscoveryProblemCode } from '../tools/model';
import type { KeyRanges } from './model';

/** Collects a binding's problems and key ranges while it is read. */
export class Checker {
  readonly problems: DiscoveryProblem[] = [];
  readonly keys: Record<string, KeyRanges> = {};

  constructor(readonly file: string) {}

  report(range: Range, message: string, code: DiscoveryProblemCode, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ file: this.file, range, message, severity, code });
  }

  /** Records every key's ranges under `prefix` and warns on keys not in `allowed`. */
  keysOf(obj: LocatedValue & { kind: 'object' }, prefix: string, allowed: readonly string[], where: string): void {
    for (const e of obj.entries) {
      this.keys[prefix + e.key] = { key: e.keyRange, value: e.value.range };
      if (allowed.includes(e.key)) continue;
      const guess = suggest(e.key, allowed);
      this.report(
        e.keyRange,
        `Unknown key \`${e.key}\` in ${where}${guess ? `; did you mean \`${guess}\`?` : '.'} It is ignored.`,
        'binding-unknown-key',
        'warning',
      );
    }
  }

  /** The string value of an entry, or a problem saying what was found instead. */
  string(e: LocatedEntry | undefined, path: string): string | undefined {
    if (!e) return undefined;
    if (e.value.kind === 'string') return e.value.value;
    this.report(e.value.range, `\`${path}\` must be a string, found ${describeKind(e.value)}.`, 'binding-invalid-value');
    return undefined;
  }

  boolean(e: LocatedEntry | undefined, path: string): boolean | undefined {
    if (!e) return undefined;
    if (e.value.kind === 'boolean') return e.value.value;
    this.report(e.value.range, `\`${path}\` must be true or false, found ${describeKind(e.value)}.`, 'binding-invalid-value');
    return undefined;
  }

  /** A string that must be one of `values`. */
  oneOf<T extends string>(e: LocatedEntry | undefined, path: string, values: readonly T[]): T | undefined {
    const s = this.string(e, path);
    if (s === undefined || !e) return undefined;
    if ((values as readonly string[]).includes(s)) return s as T;
    const guess = suggest(s, values);
    this.report(
      e.value.range,
      `\`${path}\` must be one of ${values.join(', ')}; found \`${s}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}.`,
      'binding-invalid-value',
    );
    return undefined;
  }

  /** An object value, or a problem. */
  object(e: LocatedEntry | undefined, path: string): (LocatedValue & { kind: 'object' }) | undefined {
    if (!e) return undefined;
    if (e.value.kind === 'object') return e.value;
    this.report(e.value.range, `\`${path}\` must be a mapping of keys, found ${describeKind(e.value)}.`, 'binding-invalid-value');
    return undefined;
  }

  list(e: LocatedEntry | undefined, path: string): LocatedValue[] | undefined {
    if (!e) return undefined;
    if (e.value.kind === 'array') return e.value.items;
    this.report(e.value.range, `\`${path}\` must be a list, found ${describeKind(e.value)}.`, 'binding-invalid-value');
    return undefined;
  }
}

/** The allowed word closest to a typo (case-insensitive equal or at most 2 edits away). */
function suggest(word: string, allowed: readonly string[]): string | undefined {
  return didYouMean(word, allowed, { maxDistance: 2, ignoreCase: true });
}
