import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetailedError, PolicyText, SchemaJson, ValidationResult } from './types';
import {
  CEDAR_WORKER_BUNDLE,
  type PartialAnswer,
  type PartialCall,
  type SchemaTextAnswer,
  type ValidateAnswer,
  type WorkerAnswer,
  type WorkerRequest,
} from './workerProtocol';

interface Slot {
  worker: Worker;
  busy: number;
  /** The worker's size after its last answer: Cedar's linear memory and its JS heap (committed). */
  cedarBytes: number;
  heapBytes: number;
  /** Taken out of service for its size: it ends when its last call is answered. */
  retiring?: boolean;
}

/**
 * A worker whose Cedar memory has grown past this is replaced. Wasm memory never shrinks: calls
 * on large texts grow an instance for the life of the worker (under the fuzzer's stream of edits
 * each worker held ~200 MB). A fresh worker's is ~3 MB, and costs ~150 ms of compiling, on its
 * own thread; on the benchmark's workspace it stays below 20 MB, so workers live there for good
 * (their heaps, which V8 collects, keep the prepared schemas).
 */
const RECYCLE_BYTES = Number(process.env.AGENTGOV_CEDAR_RECYCLE_MB ?? 64) * 2 ** 20;

/**
 * Cedar workers (one per core, at most two): the long Cedar calls run there, so the main thread
 * keeps answering requests and both cores work. Only the bundles have a worker file; where there
 * is none (tests on the sources), `CedarPool.create` answers undefined and everything runs in
 * the process. A worker that dies is replaced; its calls fail with an error answer.
 */
export class CedarPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void; slot?: Slot }>();
  /**
   * Calls not yet handed to a worker: a call goes to a worker only when it is idle, so it never
   * waits behind a long call in one worker (a stale whole-schema validation) while the other is free.
   */
  private readonly waiting: { id: number; req: WorkerRequest }[] = [];
  private nextId = 1;
  private recycled = 0;

  private constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  /** A pool beside the running bundle, or undefined where there is no worker file. */
  static create(
    dir: string = __dirname,
    size = Number(process.env.AGENTGOV_CEDAR_WORKERS ?? Math.min(2, availableParallelism())),
  ): CedarPool | undefined {
    const file = join(dir, CEDAR_WORKER_BUNDLE);
    return existsSync(file) && size > 0 ? new CedarPool(file, size) : undefined;
  }

  get workers(): number {
    return this.size;
  }

  /** Each running worker's size (MB: Cedar's memory and its heap) and how many were replaced for their size. */
  memory(): { workersMB: number[]; recycled: number } {
    return {
      workersMB: this.slots.map((s) => Math.round((s.cedarBytes + s.heapBytes) / 2 ** 20)),
      recycled: this.recycled,
    };
  }

  /**
   * Starts every worker now: each loads and compiles cedar-wasm (~150 ms) while this thread
   * reads the workspace and discovers tools, instead of after, on the first call.
   */
  warm(): this {
    while (this.slots.length < this.size) this.spawn();
    return this;
  }

  async validate(schema: SchemaJson, policies: PolicyText[]): Promise<ValidationResult> {
    const a = (await this.ask({ op: 'validate', schema, policies })) as ValidateAnswer;
    return { errors: new Map(a.errors), warnings: new Map(a.warnings), ...(a.failure ? { failure: a.failure } : {}) };
  }

  /** A schema text's check and its conversion, in one worker (see `CedarGateway.schemaText`). */
  async schemaText(text: string): Promise<SchemaTextAnswer> {
    return (await this.ask({ op: 'schemaText', text })) as SchemaTextAnswer;
  }

  /** Errors of entities against a schema (or none), as `CedarGateway.checkEntities` answers them. */
  async checkEntities(entities: unknown, schema: SchemaJson | null): Promise<DetailedError[]> {
    return (await this.ask({ op: 'checkEntities', entities, schema })) as DetailedError[];
  }

  async checkSchema(schema: SchemaJson): Promise<DetailedError[]> {
    return (await this.ask({ op: 'checkSchema', schema })) as DetailedError[];
  }

  /** Each policy's parse errors (the worker splits the set as needed). */
  async parse(policies: Omit<PolicyText, 'id'>[]): Promise<DetailedError[][]> {
    return (await this.ask({ op: 'parse', policies })) as DetailedError[][];
  }

  /** Partial evaluations (`CedarGateway.authorizePartial`), in one worker, over the same entities. */
  async partialBatch(entities: unknown[], calls: PartialCall[]): Promise<PartialAnswer[]> {
    return (await this.ask({ op: 'partialBatch', entities, calls })) as PartialAnswer[];
  }

  /** Ends the workers (the CLI, before exiting; the server, on shutdown). */
  async close(): Promise<void> {
    const all = this.slots.splice(0);
    for (const { id } of this.waiting.splice(0)) {
      this.pending.get(id)?.reject(new Error('Cedar workers closed'));
      this.pending.delete(id);
    }
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  private ask(req: WorkerRequest): Promise<WorkerAnswer> {
    const id = this.nextId++;
    return new Promise<WorkerAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.waiting.push({ id, req });
      this.dispatch();
    });
  }

  /** Hands waiting calls, in order, to idle workers (starting one while fewer than `size` run). */
  private dispatch(): void {
    while (this.waiting.length) {
      const slot = this.slots.find((s) => s.busy === 0) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const { id, req } = this.waiting.shift()!;
      const p = this.pending.get(id);
      if (!p) continue;
      p.slot = slot;
      slot.busy++;
      slot.worker.postMessage({ id, req });
    }
  }

  /**
   * Takes a grown worker out of service: it gets no more calls, a fresh one starts in its place
   * (compiling Cedar by the time the next call comes), and it ends once its calls are answered.
   */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    this.recycled++;
    slot.retiring = true;
    this.spawn();
    if (slot.busy === 0) void slot.worker.terminate();
    this.dispatch();
  }

  private spawn(): Slot {
    const worker = new Worker(this.file);
    // The pool must never keep a finished CLI alive.
    worker.unref();
    const slot: Slot = { worker, busy: 0, cedarBytes: 0, heapBytes: 0 };
    worker.on('message', (m: { id: number; result?: WorkerAnswer; error?: string; cedarBytes: number; heapBytes: number }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      // The answer comes from this worker: the slot the call was handed to.
      slot.busy--;
      slot.cedarBytes = m.cedarBytes;
      slot.heapBytes = m.heapBytes;
      if (m.cedarBytes > RECYCLE_BYTES) this.retire(slot);
      if (slot.retiring && slot.busy === 0) void slot.worker.terminate();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result!);
      this.dispatch();
    });
    const fail = (e: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const [id, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(id);
        p.reject(e);
      }
      // Calls still waiting go to the others, or to a new worker in its place.
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Cedar worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }
}
