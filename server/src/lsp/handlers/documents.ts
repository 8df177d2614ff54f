import { FileChangeType } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiskEvent } from '../../core/service';
import type { ServerContext } from '../context';
import { pathOfUri } from '../uris';

const DISK_EVENT: Record<FileChangeType, DiskEvent> = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
};

/** Text synchronisation and watched files: each event feeds the service and schedules what it affects. */
export function registerDocumentHandlers(ctx: ServerContext): void {
  const documentChanged = (doc: TextDocument, opened: boolean) => {
    const path = pathOfUri(doc.uri, doc.languageId);
    if (!path) return;
    ctx.scheduler.schedule(ctx.service().openDocument(path, doc.getText()), opened);
  };
  ctx.documents.onDidOpen((e) => ctx.guard('open', () => documentChanged(e.document, true)));
  ctx.documents.onDidChangeContent((e) => ctx.guard('change', () => documentChanged(e.document, false)));
  ctx.documents.onDidClose((e) =>
    ctx.guard('close', () => {
      const path = pathOfUri(e.document.uri, e.document.languageId);
      if (path) ctx.scheduler.schedule(ctx.service().closeDocument(path), true);
    }),
  );
  ctx.connection.onDidChangeWatchedFiles((p) => {
    ctx.guard('watched files', () => {
      const affected = new Set<string>();
      for (const ch of p.changes) {
        const path = pathOfUri(ch.uri);
        if (!path) continue;
        for (const a of ctx.service().diskEvent(path, DISK_EVENT[ch.type])) affected.add(a);
      }
      ctx.scheduler.schedule(affected);
    });
  });
}
