import { Project, ts, type SourceFile } from 'ts-morph';
import type { LineIndex } from '../../text/lineIndex';
import type { DiscoveryProblem } from '../model';

/** A file with dozens of syntax errors usually has one cause; the rest is noise. */
const MAX_SYNTAX_PROBLEMS = 10;

let counter = 0;

/**
 * An in-memory project of its own for each file (0.2 ms to make): nothing is read from disk, no
 * module is resolved and no type checker is built, so a file costs only its parse. Dropping the
 * whole project afterwards frees the file at once; removing a file from a shared project makes
 * ts-morph walk every node and the comments around it, quadratic on one long line.
 */
function project(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [] },
  });
}

/**
 * Parses one file on its own. The virtual name keeps only the extension (it decides TSX
 * parsing), so odd real paths (Windows drives, spaces) never reach the in-memory file system.
 */
export function parseSourceFile(path: string, text: string): SourceFile {
  const ext = /\.(tsx|mts|cts|ts|jsx|mjs|cjs|js)$/i.exec(path)?.[1]?.toLowerCase() ?? 'ts';
  return project().createSourceFile(`/agentgov/f${++counter}.${ext}`, text, { overwrite: true });
}

/** A parse, or undefined when the TypeScript parser ran out of stack (it recurses per nesting level). */
function tryParse(path: string, text: string): SourceFile | undefined {
  try {
    return parseSourceFile(path, text);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * Parses a file; when the TypeScript parser runs out of stack (thousands of nested arrow
 * functions or brackets), finds by bisection the lines whose nesting does it, blanks them (same
 * positions) and parses the rest, so the file's other tools are still found. `skipped` is the
 * line range left out, 0-based and inclusive; the whole file when no such range helps.
 */
export function parseWithinStack(path: string, text: string): { sf: SourceFile; skipped?: { from: number; to: number } } {
  const whole = tryParse(path, text);
  if (whole) return { sf: whole };
  const lines = text.split('\n');
  const blanked = (from: number, to: number) =>
    lines.map((l, i) => (i >= from && i < to ? l.replace(/[^\r]/g, ' ') : l)).join('\n');
  // Usually the lines are those where brackets nest deepest: one parse with them blanked, where
  // the bisection below takes a dozen (each of a 1 MB file is a second).
  const deep = deepBracketLines(text);
  if (deep) {
    const sf = tryParse(path, blanked(deep.from, deep.to + 1));
    if (sf) return { sf, skipped: deep };
  }
  // The first `end` lines alone overflow, the first `end - 1` do not.
  let lo = 0;
  let end = lines.length;
  while (end - lo > 1) {
    const mid = (lo + end) >> 1;
    if (tryParse(path, blanked(mid, lines.length))) lo = mid;
    else end = mid;
  }
  // The latest start from which blanking up to `end` lets the whole file parse.
  let start = 0;
  if (!tryParse(path, blanked(0, end))) return { sf: parseSourceFile(path, ''), skipped: { from: 0, to: lines.length - 1 } };
  let hi = end - 1;
  while (hi > start) {
    const mid = (start + hi + 1) >> 1;
    if (tryParse(path, blanked(mid, end))) start = mid;
    else hi = mid - 1;
  }
  return { sf: tryParse(path, blanked(start, end))!, skipped: { from: start, to: end - 1 } };
}

/** Bracket nesting the parser always survives (it overflows from ~600 levels of object literals). */
const SAFE_BRACKET_DEPTH = 256;

/**
 * The lines (0-based, inclusive) from the first where brackets nest deeper than the parser safely
 * follows to the last such line, or undefined. Strings and comments are not told apart: a guess
 * that only saves parses, checked by parsing.
 */
function deepBracketLines(text: string): { from: number; to: number } | undefined {
  let depth = 0;
  let line = 0;
  let from = -1;
  let to = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 40 || c === 91 || c === 123) {
      if (++depth > SAFE_BRACKET_DEPTH) {
        if (from < 0) from = line;
        to = line;
      }
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return from < 0 ? undefined : { from, to };
}

/**
 * The parser's own diagnostics. A full `getPreEmitDiagnostics` would type-check the file
 * against a program we deliberately do not build; syntax errors are all we need.
 */
export function syntaxProblems(sf: SourceFile, file: string, lines: LineIndex): DiscoveryProblem[] {
  const diags =
    (sf.compilerNode as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diags.slice(0, MAX_SYNTAX_PROBLEMS).map((d) => ({
    file,
    range: lines.range(d.start, d.start + Math.max(d.length, 1)),
    message: `TypeScript syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')} Tools after this point may be missed.`,
    severity: 'error',
    code: 'ts-syntax',
  }));
}
