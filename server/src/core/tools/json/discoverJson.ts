import type { DiscoveryResult } from '../model';
import { jsonSecrets } from './jsonSecrets';
import { parseJsonc } from './jsoncLocated';
import { readToolJson } from './toolJson';

/** `payments.tools.json` → `payments`: the server of an MCP tool list without a `server` field. */
export function serverFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.tools\.jsonc?$/i, '').replace(/\.jsonc?$/i, '');
}

/** True for files that are tool lists by name, where a parse error must be reported. */
export function isToolListFileName(file: string): boolean {
  return /\.tools\.jsonc?$/i.test(file);
}

/**
 * Tools of one JSON file (an MCP tool list or OpenAI function definitions). A `*.tools.json`
 * file is always reported on, broken or not; any other JSON only when it has a tool shape,
 * so unrelated JSON in the workspace never gets diagnostics from us.
 */
export function discoverJson(file: string, text: string): DiscoveryResult {
  const named = isToolListFileName(file);
  // Cheap gate before parsing: a tool list names `tools`, `functions` or `"function"`.
  if (!named && !/"(tools|functions|function)"/.test(text)) return { tools: [], problems: [] };
  const parsed = parseJsonc(file, text);
  const content = readToolJson(parsed.root, file, serverFromFileName(file));
  if (!named && !content.recognized) return { tools: [], problems: [] };
  const problems = [...parsed.problems, ...content.problems];
  if (named && !content.listFound && parsed.problems.length === 0) {
    problems.push({
      file,
      range: parsed.root?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'A tool list needs a top-level `tools` array (an MCP `tools/list` result) or OpenAI function definitions.',
      severity: 'warning',
      code: 'tool-invalid',
    });
  }
  const secrets = jsonSecrets(parsed.root, file);
  return { tools: content.tools, problems, ...(secrets.length ? { secrets } : {}) };
}
