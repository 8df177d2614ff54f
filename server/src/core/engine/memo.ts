/**
 * The core's one cache type: a map with a size budget that forgets the least recently used
 * entries first. Every cache in the core is a `Memo`, so each has a declared budget and none
 * grows without bound; what it forgets is simply computed again.
 */
/**
 * A key this long is a hostile or pasted text (a megabyte string in a policy): a memo keeps at
 * most `MAX_LARGE_KEYS` of them. Under the fuzzer, memos each holding their 16 million
 * characters of such keys kept the server's heap at 150 MB after every file was closed.
 */
const LARGE_KEY_CHARS = 256_000;
const MAX_LARGE_KEYS = 4;

export class Memo<K, V> {
  private readonly map = new Map<K, V>();
  /** The keys of `LARGE_KEY_CHARS` or more held. */
  private readonly large = new Set<K>();
  hits = 0;
  misses = 0;
  /** Characters of the string keys held (memos keyed by file or statement text). */
  private chars = 0;

  constructor(
    readonly name: string,
    readonly budget: number,
    /** False when the owner evicts (the engine, which must forget a result and its records together). */
    private readonly evicts = true,
    /**
     * Characters of string keys to hold at most: a count alone lets a memo keyed by text keep
     * thousands of megabyte-long texts (an editor full of pasted data).
     */
    readonly maxKeyChars = 16_000_000,
  ) {}

  private weigh(key: K): number {
    return typeof key === 'string' ? key.length : 0;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-inserting keeps the map in least-recently-used order.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Remembers a value; an engine that must act on evictions sets a budget of its own and uses `oldest`. */
  set(key: K, value: V): V {
    this.delete(key);
    this.map.set(key, value);
    this.chars += this.weigh(key);
    if (this.weigh(key) >= LARGE_KEY_CHARS) this.large.add(key);
    if (this.evicts) {
      while (this.map.size > 1 && (this.map.size > this.budget || this.chars > this.maxKeyChars))
        this.delete(this.map.keys().next().value as K);
      // The least recently used large keys go first (the map is in that order).
      if (this.large.size > MAX_LARGE_KEYS)
        for (const k of this.map.keys()) {
          if (this.large.size <= MAX_LARGE_KEYS) break;
          if (this.large.has(k)) this.delete(k);
        }
    }
    return value;
  }

  /** The least recently used key. */
  oldest(): K | undefined {
    return this.map.keys().next().value;
  }

  /** The cached value, or `make()` remembered. */
  getOr(key: K, make: () => V): V {
    const v = this.get(key);
    return v !== undefined ? v : this.set(key, make());
  }

  delete(key: K): void {
    if (this.map.delete(key)) this.chars -= this.weigh(key);
    this.large.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.large.clear();
    this.chars = 0;
  }
}

/**
 * A value derived from an object, computed once per object and forgotten with it (a policy
 * statement, a file's parsed model, the workspace's entities: the same objects until their
 * input changes). Needs no budget: the map holds nothing the object does not outlive.
 */
export function perObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const values = new WeakMap<K, V>();
  return (key) => {
    if (values.has(key)) return values.get(key)!;
    const value = compute(key);
    values.set(key, value);
    return value;
  };
}
