import { Project, ts, type SourceFile } from 'ts-morph';
import type { LineIndex } from '../../text/lineIndex';
import type { DiscoveryProblem } from '../model';

/** A file with dozens of syntax errors usually has one cause; the rest is noise. */
const MAX_SYNTAX_PROBLEMS = 10;

let shared: Project | undefined;
let counter = 0;

/**
 * One in-memory project, reused for every file: nothing is read from disk, no module is
 * resolved and no type checker is built, so a file costs only its parse.
 */
function project(): Project {
  shared ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [] },
  });
  return shared;
}

/**
 * Parses one file on its own. The virtual name keeps only the extension (it decides TSX
 * parsing), so odd real paths (Windows drives, spaces) never reach the in-memory file system.
 */
export function parseSourceFile(path: string, text: string): SourceFile {
  const ext = /\.(tsx|mts|cts|ts|jsx|mjs|cjs|js)$/i.exec(path)?.[1]?.toLowerCase() ?? 'ts';
  return project().createSourceFile(`/agentgov/f${++counter}.${ext}`, text, { overwrite: true });
}

/** Drops a parsed file so the shared project does not grow with every file discovered. */
export function releaseSourceFile(sf: SourceFile): void {
  project().removeSourceFile(sf);
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
