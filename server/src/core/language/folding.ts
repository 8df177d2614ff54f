import { tokenize } from '../cedar/lexer';
import type { GovernanceService } from '../service';

export interface FoldingRangeInfo {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

/** Folding for policy and schema files: each multi-line policy or `{…}` block, and runs of `//` comments. */
export function foldingRanges(service: GovernanceService, path: string): FoldingRangeInfo[] {
  const policy = service.policyModel(path);
  const schema = policy ? undefined : service.schemaFileModel(path);
  const lines = policy?.lines ?? schema?.lines;
  if (!lines || schema?.format === 'json') return [];
  const out: FoldingRangeInfo[] = [];
  const tokens = tokenize(lines.text);
  let commentRun: { start: number; end: number } | undefined;
  const flushComments = () => {
    if (commentRun && commentRun.end > commentRun.start)
      out.push({ startLine: commentRun.start, endLine: commentRun.end, kind: 'comment' });
    commentRun = undefined;
  };
  const open: number[] = [];
  for (const t of tokens) {
    const line = lines.positionAt(t.start).line;
    if (t.kind === 'comment') {
      if (commentRun && line === commentRun.end + 1) commentRun.end = line;
      else {
        flushComments();
        commentRun = { start: line, end: line };
      }
      continue;
    }
    flushComments();
    if (schema && t.text === '{') open.push(line);
    else if (schema && t.text === '}' && open.length) {
      const start = open.pop()!;
      // Keep the closing brace visible.
      if (line - 1 > start) out.push({ startLine: start, endLine: line - 1 });
    }
  }
  flushComments();
  for (const s of policy?.statements ?? []) {
    const start = lines.positionAt(s.start).line;
    const end = lines.positionAt(s.end).line;
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
