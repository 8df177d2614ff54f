import { FIRST_LINE } from '../text/range';
import { toolFileKind } from './fileKind';
import { discoverJson } from './json/discoverJson';
import type { DiscoveryProblem, DiscoveryResult } from './model';
import { loadTypeScriptDiscovery } from './typescript/loadDiscovery';
import { mayDefineTools } from './typescript/sdkModules';

export type * from './model';
export { toolFileKind, type ToolFileKind } from './fileKind';
export { parseMcpConfig, mcpConfigKind } from './mcpConfig';
export type * from './mcpConfigModel';
export { assessRisk, DEFAULT_RISK_KEYWORDS, type RiskAssessment, type RiskLevel, type RiskOptions } from './risk';
export { maskSecret, classifyValue, isCredentialKey, looksLikeSecret, type ValueKind } from './secrets';
export { parseBinding } from '../bindings';

/** A workspace file handed to discovery; the core never reads the disk itself. */
export interface SourceText {
  path: string;
  text: string;
}

/**
 * Larger files are generated or data; parsing them would stall the editor for no tool. Tool code
 * is parsed into a syntax tree of ~1 node per 4 characters, all on the editor's thread: a
 * megabyte of it took 0.6–1 s under the fuzzer (parse, one walk, collection), too close to the
 * second within which the editor must be answered, so code stops at half of that. Hand-written
 * tool code is a few kilobytes; a bundle is not where tools are declared.
 */
const MAX_TEXT_LENGTH = 4_000_000;
const MAX_CODE_LENGTH = 512_000;

/**
 * Finds every tool definition in the given files: TypeScript tool code (MCP SDK, AI SDK,
 * LangChain.js, OpenAI Agents SDK), MCP tool lists and OpenAI function JSON. Files of other
 * kinds (and anything under `node_modules/` or `.git/`) are skipped. Never throws: a file
 * that cannot be read becomes a problem on that file.
 */
export function discoverTools(files: readonly SourceText[]): DiscoveryResult {
  const out: DiscoveryResult = { tools: [], problems: [] };
  for (const f of files) {
    const kind = toolFileKind(f.path);
    if (kind !== 'typescript' && kind !== 'tool-json') continue;
    if (f.text.length > (kind === 'typescript' ? MAX_CODE_LENGTH : MAX_TEXT_LENGTH)) {
      const limit = kind === 'typescript' ? MAX_CODE_LENGTH : MAX_TEXT_LENGTH;
      out.problems.push(
        problem(
          f.path,
          `File too large to scan for tools (${f.text.length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}).`,
          'info',
        ),
      );
      continue;
    }
    // A NUL character means a binary file with a text extension; nothing to read there.
    if (f.text.includes('\u0000')) continue;
    // Most TypeScript files import no tool SDK: skip them before loading the TypeScript parser.
    if (kind === 'typescript' && !mayDefineTools(f.text)) continue;
    try {
      const r =
        kind === 'typescript' ? loadTypeScriptDiscovery().discoverTypeScript(f.path, f.text) : discoverJson(f.path, f.text);
      out.tools.push(...r.tools);
      out.problems.push(...r.problems);
      if (r.secrets?.length) (out.secrets ??= []).push(...r.secrets);
    } catch (e) {
      out.problems.push(
        problem(f.path, `Tool discovery failed on this file: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
    }
  }
  return out;
}

function problem(file: string, message: string, severity: DiscoveryProblem['severity']): DiscoveryProblem {
  return { file, range: FIRST_LINE, message, severity, code: 'tool-invalid' };
}
