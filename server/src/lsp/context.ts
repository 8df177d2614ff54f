import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/findings/finding';
import type { GovernanceService } from '../core/service';
import type { LongTasks } from './longTasks';
import type { DiagnosticsScheduler } from './scheduler';

/** What the handler files share: the connection, the open documents, the service and the scheduler. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  /** The current service (a new one per initialize). */
  service(): GovernanceService;
  readonly scheduler: DiagnosticsScheduler;
  /** The core's path of a document URI, or undefined for documents the core cannot take. */
  pathOf(uri: string): string | undefined;
  /** Runs a handler; a failure is logged and answers `null`, never taking the server down. */
  guard<T>(what: string, f: () => T): T | null;
  logError(what: string, e: unknown): void;
  /** Work that held the thread long (for the log and `agentgov/stats`). */
  readonly longTasks: LongTasks;
  /** The findings of a file as last published (what the editor shows). */
  published(path: string): readonly Finding[];
}
