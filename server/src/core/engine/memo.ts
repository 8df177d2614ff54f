/**
 * The core's one cache type: a map with a size budget that forgets the least recently used
 * entries first. Every cache in the core is a `Memo`, so each has a declared budget and none
 * grows without bound; what it forgets is simply computed again.
 */
export class Memo<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(
    readonly name: string,
    readonly budget: number,
    /** False when the owner evicts (the engine, which must forget a result and its records together). */
    private readonly evicts = true,
  ) {}

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
    this.map.delete(key);
    this.map.set(key, value);
    if (this.evicts) while (this.map.size > this.budget) this.map.delete(this.map.keys().next().value as K);
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
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
