import type { CompletionItem, TextEdit } from 'vscode-languageserver/node';
import { completion } from '../../core/language/completion';
import { declaration, definition } from '../../core/language/definition';
import { foldingRanges } from '../../core/language/folding';
import { findingsHover } from '../../core/language/findingHover';
import { hover } from '../../core/language/hover';
import { documentSymbols } from '../../core/language/symbols';
import type { ServerContext } from '../context';
import { toCompletionItem, toDocumentSymbol } from '../convert';
import { uriOfPath } from '../uris';

/** Hover, completion, definition, declaration, symbols, folding and formatting: protocol in, core answers out. */
export function registerLanguageHandlers(ctx: ServerContext): void {
  const c = ctx.connection;
  const withPath = <T>(uri: string, f: (path: string) => T): T | null => {
    const path = ctx.pathOf(uri);
    return path ? f(path) : null;
  };
  const locations = (ls: { file: string; range: import('../../core/text/range').Range }[]) =>
    ls.map((l) => ({ uri: uriOfPath(l.file), range: l.range }));
  c.onHover((p) =>
    ctx.guard('hover', () =>
      withPath(p.textDocument.uri, (path) => {
        // A governance finding under the cursor is explained first: the rule, why it matters,
        // its framework mappings; then what the position itself is.
        const finding = findingsHover(ctx.published(path), p.position, ctx.service().rulesFor(path));
        const h = hover(ctx.service(), path, p.position);
        const parts = [finding?.markdown, h?.markdown].filter(Boolean);
        const range = h?.range ?? finding?.range;
        return parts.length && range
          ? { contents: { kind: 'markdown' as const, value: parts.join('\n\n---\n\n') }, range }
          : null;
      }),
    ),
  );
  c.onCompletion(
    (p) =>
      ctx.guard('completion', () =>
        withPath(p.textDocument.uri, (path) => completion(ctx.service(), path, p.position).map(toCompletionItem)),
      ) ?? ([] as CompletionItem[]),
  );
  c.onDefinition((p) =>
    ctx.guard('definition', () => withPath(p.textDocument.uri, (path) => locations(definition(ctx.service(), path, p.position)))),
  );
  c.onDeclaration((p) =>
    ctx.guard('declaration', () =>
      withPath(p.textDocument.uri, (path) => locations(declaration(ctx.service(), path, p.position))),
    ),
  );
  c.onDocumentSymbol((p) =>
    ctx.guard('symbols', () =>
      withPath(p.textDocument.uri, (path) => documentSymbols(ctx.service(), path).map(toDocumentSymbol)),
    ),
  );
  c.onFoldingRanges((p) =>
    ctx.guard('folding', () => withPath(p.textDocument.uri, (path) => foldingRanges(ctx.service(), path))),
  );
  c.onDocumentFormatting((p) =>
    ctx.guard('formatting', (): TextEdit[] => {
      const doc = ctx.documents.get(p.textDocument.uri);
      const path = ctx.pathOf(p.textDocument.uri);
      if (!doc || !path) return [];
      const text = doc.getText();
      const formatted = ctx.service().format(path, text, { tabSize: p.options.tabSize });
      if (formatted === undefined || formatted === text) return [];
      return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
    }),
  );
}
