import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discoverTools, type SourceText } from '../../../server/src/core/tools';
import type { DiscoveryResult, ToolDefinition } from '../../../server/src/core/tools/model';
import { LineIndex } from '../../../server/src/core/text/lineIndex';
import type { Range } from '../../../server/src/core/text/range';

/** The fixture folders of tool discovery, one per scenario. */
export const TOOL_FIXTURES = resolve(__dirname, '../../fixtures/tools');

/** A fixture file as discovery gets it: its path and text. */
export function fixture(rel: string): SourceText {
  const path = join(TOOL_FIXTURES, rel);
  return { path, text: readFileSync(path, 'utf8') };
}

/** Discovers the tools of some fixture files. */
export function discover(...rels: string[]): DiscoveryResult {
  return discoverTools(rels.map(fixture));
}

/** The range of the n-th occurrence of `needle` in `text`, computed independently of the code under test. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found (occurrence ${nth})`);
  }
  return new LineIndex(text).range(at, at + needle.length);
}

/** The range of `needle` inside the first occurrence of `context` (to pick one of many equal words). */
export function rangeIn(text: string, context: string, needle: string): Range {
  const at = text.indexOf(context);
  const inner = context.indexOf(needle);
  if (at < 0 || inner < 0) throw new Error(`"${needle}" in "${context}" not found`);
  return new LineIndex(text).range(at + inner, at + inner + needle.length);
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

/** The one tool with this name; fails loudly when absent or ambiguous. */
export function tool(tools: ToolDefinition[], name: string): ToolDefinition {
  const found = tools.filter((t) => t.name === name);
  if (found.length !== 1)
    throw new Error(`expected one tool "${name}", found ${found.length} among ${tools.map((t) => t.name).join(', ')}`);
  return found[0];
}

/** Names of the tools, sorted, for set-like comparisons. */
export function names(tools: ToolDefinition[]): string[] {
  return tools.map((t) => t.name).sort();
}
