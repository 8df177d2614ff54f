import { MAX_YAML_CHARS } from '../bindings/yamlLocated';
import { RULE_DOCS_BASE } from '../governance/rulePack';
import { type Comment, commentsOf, type CommentSyntax } from '../text/comments';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/range';
import { classify } from '../workspace/fileKinds';
import type { Finding } from './finding';

/** The rule of a suppression comment's own problems (no reason, suppresses nothing). */
export const SUPPRESSION_RULE = 'agentgov-suppression';

const DIRECTIVE = 'agentgov-ignore';
const DOCS = `${RULE_DOCS_BASE}README.md#suppressing-a-finding`;

/** `// agentgov-ignore` (Cedar, TypeScript, JSONC) or `# agentgov-ignore` (YAML), at the comment's start. */
const LINE_DIRECTIVE = /^\/\/+[ \t]*agentgov-ignore(?![\w-])/;
const HASH_DIRECTIVE = /^#+[ \t]*agentgov-ignore(?![\w-])/;

/** Rule ids read from one comment: a megabyte of garbage after `agentgov-ignore` is not 100,000 warnings. */
const MAX_IDS = 32;

/** One `agentgov-ignore` comment. */
export interface Suppression {
  /** The rule ids as written, each on its own range (an unused one is marked there). */
  ids: { id: string; range: Range }[];
  /** The text after the colon, trimmed; empty when there is none. */
  reason: string;
  /** The whole comment. */
  range: Range;
  /** Findings whose range starts on a line from `fromLine` to `toLine` (0-based, inclusive) are covered. */
  fromLine: number;
  toLine: number;
  /** A comment after code on its line covers that line only. */
  trailing: boolean;
}

/**
 * The comment syntax of a file, or undefined for files that cannot hold comments: Cedar's JSON
 * schemas and entities are strict JSON; MCP configurations, tool lists and `*.agent.json` are
 * read as JSONC (SPEC §11).
 */
export function commentSyntaxOf(path: string): CommentSyntax | undefined {
  const role = classify(path);
  const lower = path.toLowerCase();
  if (role === 'policy' || (role === 'schema' && lower.endsWith('.cedarschema'))) return 'cedar';
  if (role === 'typescript') return 'typescript';
  if (role === 'tool-json' || role === 'mcp-config') return 'jsonc';
  if (role === 'binding') return lower.endsWith('.json') ? 'jsonc' : 'yaml';
  return undefined;
}

/**
 * A file's findings with its suppression comments applied (the last step of a file's check):
 * covered findings stay, marked `suppressed` with the comment's reason, so the CLI's JSON and
 * SARIF still show them and the editor leaves them out; each comment's own problems are added.
 */
export function suppressFindings(path: string, text: string | undefined, findings: Finding[]): Finding[] {
  // Most files have no suppression at all: this test keeps their cost at one search of the text.
  if (!text?.includes(DIRECTIVE)) return findings;
  const syntax = commentSyntaxOf(path);
  if (!syntax) return findings;
  // A binding that large is not read at all (its one finding says so), and yaml's parser is slow on it.
  if (syntax === 'yaml' && text.length > MAX_YAML_CHARS) return findings;
  return applySuppressions(path, findings, parseSuppressions(text, syntax));
}

/**
 * The `agentgov-ignore` comments of a text. A comment alone on its line covers its own line and
 * the next line that is neither blank nor a comment; in Cedar and TypeScript, annotation and
 * decorator lines (`@id(…)`) are passed over too, so a comment above `@id` covers the policy.
 * Only line comments count (never text inside a string).
 */
export function parseSuppressions(text: string, syntax: CommentSyntax): Suppression[] {
  const comments = commentsOf(text, syntax);
  const directive = syntax === 'yaml' ? HASH_DIRECTIVE : LINE_DIRECTIVE;
  const lines = new LineIndex(text);
  const plain = syntax !== 'cedar' && syntax !== 'typescript';
  const out: Suppression[] = [];
  // The line the last comment alone on its line covers: the lines up to it hold no code (or only
  // annotations), so a comment among them covers the same line. Without it, a file of nothing but
  // suppression comments would cost lines × lines.
  let last = { from: -1, to: -1 };
  for (const c of comments) {
    const m = c.block ? null : directive.exec(c.text);
    if (!m) continue;
    const rest = c.text.slice(m[0].length);
    const colon = rest.indexOf(':');
    const idsPart = colon < 0 ? rest : rest.slice(0, colon);
    const ids = [...idsPart.matchAll(/[^\s,]+/g)].slice(0, MAX_IDS).map((x) => {
      const start = c.start + m[0].length + x.index;
      return { id: x[0], range: lines.range(start, start + x[0].length) };
    });
    const line = lines.positionAt(c.start).line;
    const trailing = text.slice(lines.offsetAt({ line, character: 0 }), c.start).trim() !== '';
    if (!trailing && !(line > last.from && line < last.to))
      last = { from: line, to: coveredLine(text, lines, comments, line, plain) };
    out.push({
      ids,
      reason: colon < 0 ? '' : rest.slice(colon + 1).trim(),
      range: lines.range(c.start, c.end),
      fromLine: line,
      // With no code after it, a comment covers its own line only.
      toLine: trailing || last.to >= lines.lineCount ? line : last.to,
      trailing,
    });
  }
  return out;
}

/**
 * The line a comment alone on line `line` covers: the next code line (past annotations unless
 * `plain`); the line count when no code follows.
 */
function coveredLine(text: string, lines: LineIndex, comments: Comment[], line: number, plain: boolean): number {
  for (let l = line + 1; l < lines.lineCount; l++) {
    const at = codeStart(text, lines, comments, l);
    if (at < 0) continue;
    if (plain || text.charCodeAt(at) !== 64 /* @ */) return l;
  }
  return lines.lineCount;
}

/** Offset of the first character of code on a line, or -1 for a blank or comment-only line. */
function codeStart(text: string, lines: LineIndex, comments: Comment[], line: number): number {
  const end = line + 1 < lines.lineCount ? lines.offsetAt({ line: line + 1, character: 0 }) : text.length;
  let at = lines.offsetAt({ line, character: 0 });
  for (;;) {
    while (at < end && /\s/.test(text[at])) at++;
    if (at >= end) return -1;
    const c = commentAt(comments, at);
    if (!c) return at;
    at = c.end;
  }
}

/** The comment holding an offset (comments are in order and do not overlap). */
function commentAt(comments: Comment[], offset: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = comments[mid];
    if (offset < c.start) hi = mid - 1;
    else if (offset >= c.end) lo = mid + 1;
    else return c;
  }
  return undefined;
}

/**
 * Marks the findings the suppressions cover and adds a warning for each suppression's problems.
 * Rule ids compare without case. A suppression without a reason still suppresses: the user then
 * sees one warning (the missing reason), not the finding and a warning. One that suppresses
 * nothing needs no reason, so only "suppresses nothing" is said about it.
 */
export function applySuppressions(path: string, findings: Finding[], suppressions: Suppression[]): Finding[] {
  if (!suppressions.length) return findings;
  const lineOf = (i: number) => findings[i].range.start.line;
  // Finding indices by start line, so each suppression looks only at the lines it covers.
  const byLine = findings.map((_, i) => i).sort((a, b) => lineOf(a) - lineOf(b));
  const reasons: (string | undefined)[] = [];
  const used = suppressions.map((s) => {
    const idsOf = new Map<string, number[]>();
    s.ids.forEach((x, j) => idsOf.set(x.id.toLowerCase(), [...(idsOf.get(x.id.toLowerCase()) ?? []), j]));
    const usedIds = new Set<number>();
    for (let p = firstAtLine(byLine, lineOf, s.fromLine); p < byLine.length && lineOf(byLine[p]) <= s.toLine; p++) {
      const i = byLine[p];
      const ids = idsOf.get(findings[i].ruleId.toLowerCase());
      if (!ids) continue;
      for (const j of ids) usedIds.add(j);
      // The first reason given wins; a suppression without one still suppresses.
      if (!reasons[i]) reasons[i] = s.reason;
    }
    return usedIds;
  });
  const out = findings.map((f, i) => (reasons[i] === undefined ? f : { ...f, suppressed: { reason: reasons[i] } }));
  suppressions.forEach((s, k) => out.push(...problemsOf(path, s, used[k])));
  return out;
}

/** The first position in `sorted` (finding indices by line) whose line is at least `line`. */
function firstAtLine(sorted: number[], lineOf: (i: number) => number, line: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineOf(sorted[mid]) < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function problemsOf(path: string, s: Suppression, used: Set<number>): Finding[] {
  const warning = (message: string, range: Range, help: string, unnecessary = false): Finding => ({
    ruleId: SUPPRESSION_RULE,
    severity: 'warning',
    message,
    file: path,
    range,
    help,
    url: DOCS,
    ...(unnecessary ? { unnecessary: true } : {}),
  });
  if (!s.ids.length)
    return [
      warning(
        'This suppression names no rule.',
        s.range,
        'Write the rule id and a reason: `agentgov-ignore AG008: read-only lookup, any input is fine`.',
      ),
    ];
  const where = s.trailing || s.toLine === s.fromLine ? 'on this line' : `on line ${s.toLine + 1}`;
  const out = s.ids
    .filter((_, k) => !used.has(k))
    .map((x) =>
      warning(
        `\`${DIRECTIVE} ${x.id}\` suppresses nothing: no ${x.id} finding starts ${where}.`,
        x.range,
        'Remove it, or put it on the line of the finding or on the line just above it.',
        true,
      ),
    );
  if (used.size && !s.reason) {
    const ids = s.ids.filter((_, k) => used.has(k)).map((x) => x.id);
    out.push(
      warning(
        `This suppression of ${ids.join(', ')} needs a reason after the colon.`,
        s.range,
        `Say why the finding is acceptable here: \`${DIRECTIVE} ${ids.join(', ')}: <reason>\`. The reason stays with the finding in the CLI's JSON and SARIF.`,
      ),
    );
  }
  return out;
}
