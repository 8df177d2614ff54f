import {
  CompletionItemKind,
  type CompletionItem,
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type DocumentSymbol,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
} from 'vscode-languageserver/node';
import type { Finding } from '../core/findings/finding';
import type { CompletionInfo } from '../core/language/completion';
import type { DocumentSymbolInfo } from '../core/language/symbols';
import { uriOfPath } from './uris';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/** A finding as an LSP diagnostic: rule id as code, help appended, related locations kept. */
export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: 'agentgov',
    code: f.ruleId,
    message: f.help ? `${f.message}\nHelp: ${f.help}` : f.message,
  };
  if (f.url) d.codeDescription = { href: f.url };
  if (f.related?.length)
    d.relatedInformation = f.related.map((r) => ({ location: { uri: uriOfPath(r.file), range: r.range }, message: r.message }));
  if (f.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

const SYMBOL_KIND = {
  policy: SymbolKind.Function,
  namespace: SymbolKind.Namespace,
  entity: SymbolKind.Class,
  action: SymbolKind.Event,
  commonType: SymbolKind.Struct,
} as const;

export function toDocumentSymbol(s: DocumentSymbolInfo): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toDocumentSymbol),
  };
}

const COMPLETION_KIND = {
  entityType: CompletionItemKind.Class,
  action: CompletionItemKind.Event,
  attribute: CompletionItemKind.Field,
  keyword: CompletionItemKind.Keyword,
  variable: CompletionItemKind.Variable,
  snippet: CompletionItemKind.Snippet,
  namespace: CompletionItemKind.Module,
} as const;

export function toCompletionItem(c: CompletionInfo): CompletionItem {
  const item: CompletionItem = {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    detail: c.detail,
    textEdit: { range: c.range, newText: c.insertText ?? c.label },
    sortText: c.sortText,
  };
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  return item;
}
