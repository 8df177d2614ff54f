import { Memo } from './memo';

/**
 * The core's incremental engine: versioned inputs (file texts, file lists, settings) and derived
 * queries that remember what they read. A query is recomputed only when something it read has
 * changed since it was last verified, and when its new value equals the old one (its `equals`),
 * the queries that read it are not recomputed at all ("early cutoff"). Every query has a size
 * budget; what it forgets is recomputed on demand.
 *
 * `affected` answers "what may change because of these inputs" from the recorded dependencies,
 * without computing anything: the service uses it to know which files to re-check.
 */
export type Key = string;

interface InputCell {
  kind: 'input';
  value: unknown;
  changedAt: number;
}

interface DerivedCell {
  kind: 'derived';
  value: unknown;
  /** The revision at which the value last became different. */
  changedAt: number;
  /** The revision at which the value was last known to be up to date. */
  verifiedAt: number;
  deps: Key[];
}

export interface QueryOptions<T> {
  /** Whether a recomputed value is the same as before (default `Object.is`). */
  equals?: (a: T, b: T) => boolean;
  /** How many results to keep (default 10,000). */
  budget?: number;
}

interface QueryDef {
  compute: (arg: string) => unknown;
  equals: (a: unknown, b: unknown) => boolean;
  lru: Memo<Key, true>;
}

const SEP = '\u0000';

export class Engine {
  private revision = 1;
  private readonly cells = new Map<Key, InputCell | DerivedCell>();
  private readonly defs = new Map<string, QueryDef>();
  private readonly dependents = new Map<Key, Set<Key>>();
  /** Dependencies being recorded, one frame per query under computation. */
  private readonly frames: Set<Key>[] = [];
  private readonly active = new Set<Key>();

  /** Sets an input; answers whether it changed (by `equals`, default `Object.is`). */
  setInput<T>(key: Key, value: T, equals: (a: T, b: T) => boolean = Object.is): boolean {
    const cell = this.cells.get(key);
    if (cell?.kind === 'input' && equals(cell.value as T, value)) return false;
    this.revision++;
    this.cells.set(key, { kind: 'input', value, changedAt: this.revision });
    return true;
  }

  /** Reads an input inside a query (recording the dependency); `undefined` when never set. */
  input<T>(key: Key): T | undefined {
    this.frames[this.frames.length - 1]?.add(key);
    const cell = this.cells.get(key);
    return cell?.kind === 'input' ? (cell.value as T) : undefined;
  }

  /** Declares a query; the returned function computes or recalls it for an argument. */
  define<T>(name: string, compute: (arg: string) => T, options: QueryOptions<T> = {}): (arg: string) => T {
    if (this.defs.has(name)) throw new Error(`query ${name} defined twice`);
    this.defs.set(name, {
      compute,
      equals: (options.equals ?? Object.is) as (a: unknown, b: unknown) => boolean,
      lru: new Memo(name, options.budget ?? 10_000, false),
    });
    return (arg: string) => this.get<T>(`${name}${SEP}${arg}`);
  }

  /** The value of a query key (`name\0arg`), up to date. */
  get<T>(key: Key): T {
    this.frames[this.frames.length - 1]?.add(key);
    const cell = this.cells.get(key);
    if (cell?.kind === 'derived' && this.fresh(cell)) {
      this.touch(key);
      return cell.value as T;
    }
    return this.recompute(key).value as T;
  }

  /** The last value of a query key, up to date or not (editor features that must not wait). */
  peek<T>(key: Key): T | undefined {
    const cell = this.cells.get(key);
    return cell?.kind === 'derived' ? (cell.value as T) : undefined;
  }

  /**
   * Whether a query key's value is known to be up to date without computing anything: it holds a
   * result and nothing it read, directly or through other queries, changed since. Conservative
   * (a dependency that would recompute to the same value still counts as changed): for work that
   * must not compute on the editor's thread, such as a continuation after a worker answered.
   */
  upToDate(key: Key): boolean {
    const cell = this.cells.get(key);
    if (cell?.kind !== 'derived') return false;
    if (cell.verifiedAt === this.revision) return true;
    return cell.deps.every((dep) => {
      const d = this.cells.get(dep);
      if (!d) return !this.defs.has(dep.slice(0, dep.indexOf(SEP)));
      return d.changedAt <= cell.verifiedAt && (d.kind === 'input' || this.upToDate(dep));
    });
  }

  /** Whether a query key holds a result (computed and not forgotten). */
  has(key: Key): boolean {
    return this.cells.get(key)?.kind === 'derived';
  }

  /**
   * Query keys of the named queries that may change when these inputs changed: every key that
   * read them, directly or through other queries, by the dependencies last recorded.
   */
  affected(inputs: Iterable<Key>, queryNames: Set<string>): Key[] {
    const seen = new Set<Key>();
    const out: Key[] = [];
    const stack = [...inputs];
    while (stack.length) {
      const k = stack.pop()!;
      for (const d of this.dependents.get(k) ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        if (queryNames.has(d.slice(0, d.indexOf(SEP)))) out.push(d);
        stack.push(d);
      }
    }
    return out;
  }

  /** The argument of a query key. */
  static argOf(key: Key): string {
    return key.slice(key.indexOf(SEP) + 1);
  }

  static keyOf(name: string, arg: string): Key {
    return `${name}${SEP}${arg}`;
  }

  /** How many results each query holds (for the bench and the log). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.defs].map(([name, d]) => [name, d.lru.size]));
  }

  /** Up to date at this revision: nothing it read has changed since it was verified. */
  private fresh(cell: DerivedCell): boolean {
    if (cell.verifiedAt === this.revision) return true;
    for (const dep of cell.deps) {
      if (this.changedAt(dep) > cell.verifiedAt) return false;
    }
    cell.verifiedAt = this.revision;
    return true;
  }

  /** When a dependency last changed, bringing a derived one up to date first. */
  private changedAt(dep: Key): number {
    const cell = this.cells.get(dep);
    if (cell?.kind === 'input') return cell.changedAt;
    if (!cell) {
      // An input never set, or a query result that was forgotten (budget): recompute to know.
      if (!this.defs.has(dep.slice(0, dep.indexOf(SEP)))) return 0;
      return this.recompute(dep).changedAt;
    }
    if (this.active.has(dep)) return Number.MAX_SAFE_INTEGER;
    return this.fresh(cell) ? cell.changedAt : this.recompute(dep).changedAt;
  }

  private recompute(key: Key): DerivedCell {
    const name = key.slice(0, key.indexOf(SEP));
    const def = this.defs.get(name);
    if (!def) throw new Error(`no query named ${name}`);
    if (this.active.has(key)) throw new Error(`cycle through ${name}`);
    const old = this.cells.get(key) as DerivedCell | undefined;
    const frame = new Set<Key>();
    this.frames.push(frame);
    this.active.add(key);
    let value: unknown;
    try {
      value = def.compute(Engine.argOf(key));
    } finally {
      this.frames.pop();
      this.active.delete(key);
    }
    const same = old !== undefined && def.equals(old.value, value);
    const cell: DerivedCell = {
      kind: 'derived',
      value: same ? old.value : value,
      changedAt: same ? old.changedAt : this.revision,
      verifiedAt: this.revision,
      deps: [...frame],
    };
    for (const d of old?.deps ?? []) this.dependents.get(d)?.delete(key);
    for (const d of cell.deps) {
      let set = this.dependents.get(d);
      if (!set) this.dependents.set(d, (set = new Set()));
      set.add(key);
    }
    this.cells.set(key, cell);
    this.touch(key);
    return cell;
  }

  private touch(key: Key): void {
    const def = this.defs.get(key.slice(0, key.indexOf(SEP)))!;
    def.lru.set(key, true);
    // Over budget: forget the least recently used result of this query (its dependents'
    // records stay; reading it again recomputes it).
    while (def.lru.size > def.lru.budget) {
      const victim = def.lru.oldest();
      if (victim === undefined) break;
      def.lru.delete(victim);
      this.cells.delete(victim);
    }
  }
}
