/** The kinds of workspace file the core reads (SPEC §3). */
export type FileKind = 'policy' | 'schema' | 'entities' | 'binding' | 'typescript' | 'json';

const SUFFIXES: [string, FileKind][] = [
  ['.cedarschema.json', 'schema'],
  ['.cedarentities.json', 'entities'],
  ['.entities.json', 'entities'],
  ['.agent.yaml', 'binding'],
  ['.agent.yml', 'binding'],
  ['.agent.json', 'binding'],
  ['.cedarschema', 'schema'],
  ['.cedar', 'policy'],
];

/** The kind of a file by its name, or undefined for files the core ignores. */
export function fileKindOf(path: string): FileKind | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)(node_modules|\.git)\//.test(p)) return undefined;
  const lower = p.toLowerCase();
  for (const [suffix, kind] of SUFFIXES) if (lower.endsWith(suffix)) return kind;
  if (/\.(ts|tsx|mts)$/.test(lower) && !lower.endsWith('.d.ts')) return 'typescript';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** Kinds whose diagnostics the Cedar core produces. */
export function isCedarKind(kind: FileKind | undefined): kind is 'policy' | 'schema' | 'entities' {
  return kind === 'policy' || kind === 'schema' || kind === 'entities';
}
