/**
 * The core's one cache type: a map with a size budget that forgets the least recently used
 * entries first. Every cache in the core is a `Memo`, so each has a declared budget and none
 * grows without bound; what it forgets is simply computed again.
 */
export class Memo<K, V> {
  private readonly map = new Map<K, V>();
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
    if (this.evicts)
      while (this.map.size > 1 && (this.map.size > this.budget || this.chars > this.maxKeyChars))
        this.delete(this.map.keys().next().value as K);
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
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }
}
