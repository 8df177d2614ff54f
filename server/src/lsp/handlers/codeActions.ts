import {
  type ClientCapabilities,
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding } from '../../core/findings/finding';
import { type Fix, fixesFor } from '../../core/fixes';
import { touches } from '../../core/fixes/text';
import type { ServerContext } from '../context';
import { generateTestsActions } from './requestTests';
import { toDiagnostic } from '../convert';
import { uriOfPath } from '../uris';

/**
 * Quick fixes for the governance diagnostics under the cursor: the core's fixes for the findings
 * last published (what the editor shows), each tied to its diagnostic. A fix that creates a file
 * is offered only to clients that can create files through a workspace edit.
 */
export function registerCodeActionHandlers(ctx: ServerContext, capabilities: () => ClientCapabilities): void {
  ctx.connection.onCodeAction(
    (p) =>
      ctx.guard('code actions', () => [...codeActions(ctx, p, capabilities()), ...generateTestsActions(ctx, p)]) ??
      ([] as CodeAction[]),
  );
}

function codeActions(ctx: ServerContext, p: CodeActionParams, caps: ClientCapabilities): CodeAction[] {
  if (p.context.only && !p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  const path = ctx.pathOf(p.textDocument.uri);
  if (!path) return [];
  const edits = caps.workspace?.workspaceEdit;
  const versioned = !!edits?.documentChanges;
  const canCreate = versioned && !!edits?.resourceOperations?.includes('create');
  const findings = ctx.published(path).filter((f) => /^AG\d/.test(f.ruleId) && touches(f.range, p.range));
  return findings.flatMap((f) => {
    const diagnostic = sentDiagnostic(p.context.diagnostics, f);
    return fixesFor(ctx.service(), path, f)
      .filter((fix) => canCreate || !fix.creates?.length)
      .map((fix): CodeAction => ({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: workspaceEdit(ctx, fix, versioned),
      }));
  });
}

/** The client's own diagnostic for a finding (it matches actions to diagnostics by value), else the one we sent. */
function sentDiagnostic(sent: Diagnostic[], f: Finding): Diagnostic {
  const mine = toDiagnostic(f);
  return (
    sent.find(
      (d) =>
        d.code === f.ruleId &&
        d.range.start.line === f.range.start.line &&
        d.range.start.character === f.range.start.character &&
        d.range.end.line === f.range.end.line &&
        d.range.end.character === f.range.end.character &&
        d.message === mine.message,
    ) ?? mine
  );
}

/**
 * The fix as a workspace edit: `documentChanges` (a `CreateFile` first for a new file, edits
 * against the open document's version) when the client takes them, else plain `changes`.
 */
function workspaceEdit(ctx: ServerContext, fix: Fix, versioned: boolean): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const uri = uriOfPath(e.file);
    byUri.set(uri, [...(byUri.get(uri) ?? []), { range: e.range, newText: e.newText }]);
  }
  if (!versioned) return { changes: Object.fromEntries(byUri) };
  const created = new Set((fix.creates ?? []).map(uriOfPath));
  const documentEdits = [...byUri].map(([uri, edits]): TextDocumentEdit => ({
    textDocument: { uri, version: created.has(uri) ? null : (ctx.documents.get(uri)?.version ?? null) },
    edits,
  }));
  return {
    documentChanges: [
      // Without options a file that exists after all fails the edit, rather than getting a policy prepended.
      ...[...created].map((uri) => ({ kind: 'create' as const, uri })),
      ...documentEdits,
    ],
  };
}
