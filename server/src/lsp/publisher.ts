import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/findings/finding';
import type { GovernanceService } from '../core/service';
import { classify } from '../core/workspace/fileKinds';
import { InventoryChangedNotification } from '../protocol';
import { notifyTestInputs } from './handlers/requestTests';
import { toDiagnostic } from './convert';
import { uriOfPath } from './uris';

/**
 * Publishes findings as diagnostics, for open and unopened files alike. A file whose findings
 * (and, while open, version) did not change is not sent again; one that went away is cleared.
 */
export class DiagnosticsPublisher {
  /** Path → what was last sent (findings JSON and document version). */
  private readonly sent = new Map<string, string>();
  /** Path → the findings last sent (hover explains the governance ones without a new check). */
  private readonly lastFindings = new Map<string, Finding[]>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly service: () => GovernanceService,
  ) {}

  publish(paths: string[]): void {
    const results = this.service().findingsOf(paths);
    if (
      paths.some((p) => {
        const role = classify(p);
        return role !== 'policy' && role !== 'schema';
      })
    )
      void this.connection.sendNotification(InventoryChangedNotification);
    notifyTestInputs(this.connection, this.service(), paths);
    for (const path of paths) {
      const uri = uriOfPath(path);
      // A suppressed finding is not shown in the editor (the CLI's JSON and SARIF keep it).
      const findings = results.get(path)?.filter((f) => !f.suppressed);
      if (!findings) {
        this.lastFindings.delete(path);
        if (this.sent.delete(path)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
        continue;
      }
      const version = this.documents.get(uri)?.version;
      const fingerprint = `${version ?? ''}\u0000${JSON.stringify(findings)}`;
      if (this.sent.get(path) === fingerprint) continue;
      this.sent.set(path, fingerprint);
      this.lastFindings.set(path, findings);
      void this.connection.sendDiagnostics({ uri, version, diagnostics: findings.map(toDiagnostic) });
    }
  }

  /** The findings of a file as last published. */
  published(path: string): readonly Finding[] {
    return this.lastFindings.get(path) ?? [];
  }

  /** Forgets what was sent (a new service after initialize). */
  reset(): void {
    this.sent.clear();
    this.lastFindings.clear();
  }
}
