/**
 * Custom messages between the VS Code client and the language server, typed once for both
 * sides (`agentgov/...`), and the file patterns of the product's one classifier, from which the
 * client builds its document selector and file watcher.
 */
import { NotificationType, NotificationType0, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from './core/text/range';

export { FILE_PATTERNS, type FileRole } from './core/workspace/fileKinds';

/**
 * How the language server is best started (the extension does so; so does `npm run bench`, which
 * reads the same file): one V8 platform thread and two glibc malloc arenas. With Node's default
 * four platform threads, plus the Cedar workers, glibc keeps an arena per thread full of freed
 * compiler and GC memory: on the bench workspace this cuts the server's peak RSS by ~100 MB
 * (README, Performance). Other editors can pass the same flags and variable.
 */
export { default as SERVER_LAUNCH } from './lsp/launch.json';

export interface InventoryToolItem {
  name: string;
  server?: string;
  source: string;
  uri: string;
  range: Range;
  risk: 'high' | 'medium' | 'low';
  riskReason: string;
  description?: string;
  inputFields: { name: string; type: string; required: boolean; description?: string }[];
  agents: string[];
}

export interface InventoryAgentItem {
  name: string;
  principal?: string;
  uri: string;
  range: Range;
  identityType?: string;
  audit?: string;
  /** Tool references as written in the binding. */
  tools: string[];
  unknownTools: string[];
}

export interface InventoryResult {
  tools: InventoryToolItem[];
  agents: InventoryAgentItem[];
}

/** What the server spent its time and memory on (the bench and the Output panel read it). */
export interface StatsResult {
  cedar: Record<string, { calls: number; failures: number; ms: number }>;
  queries: Record<string, number>;
  rssMB: number;
  /** The process's peak resident memory so far. */
  peakRssMB: number;
  /** The main thread's heap in use (garbage not yet collected included), as committed, and memory outside it that JS objects hold (buffers, Wasm). */
  heapMB: number;
  heapTotalMB: number;
  externalMB: number;
  /** Cedar's memory: this thread's linear memory, each worker's size (its Cedar memory and heap), how many workers were replaced for their size. */
  cedarMemory: { mainMB: number; workersMB: number[]; recycled: number };
  /** Files whose diagnostics are still to be (re)computed and published: 0 when the server is idle. */
  pending: number;
  /** The latest work that held the server's thread for 250 ms or more (requests waited behind it). */
  longTasks: { what: string; ms: number }[];
}

/** Request: the workspace's tools and agents for the Governance view. Files are URIs. */
export const InventoryRequest = new RequestType0<InventoryResult, void>('agentgov/inventory');

/** Notification from the server: tools or bindings changed; the view should ask again. */
export const InventoryChangedNotification = new NotificationType0('agentgov/inventoryChanged');

/** Request: the server's statistics. */
export const StatsRequest = new RequestType0<StatsResult, void>('agentgov/stats');

/** A check finished: every file it was asked for is published (or left unchanged). */
export interface CheckedParams {
  /** Files whose findings were brought up to date. */
  files: number;
  /** From the first change it covers to the last diagnostics sent. */
  ms: number;
}

/** Notification from the server: nothing is left to check (tests and the bench wait for it). */
export const CheckedNotification = new NotificationType<CheckedParams>('agentgov/checked');
