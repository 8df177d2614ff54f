import { modify } from 'jsonc-parser';
import type { AgentBinding } from '../bindings/model';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/range';
import { toolOf } from './createPolicy';
import type { Fix, FixContext, FixEdit } from './model';
import { indentOf, insertion, lineBreakOf, lineEnd, textOf } from './text';

/**
 * AG002 "Add <tool> to <agent>'s binding": one fix per binding, each appending the tool
 * (`<server>/<tool>`, or the bare name when its server is not known) to that binding's `tools:`
 * in the style the list is written in: a block list gets a `- ` line indented as its last item,
 * a flow list (`[a, b]`, and JSON) a `, item` on the last item's line or a line of its own.
 */
export function addToBindingFixes(ctx: FixContext, finding: Finding): Fix[] {
  const tool = toolOf(ctx, finding);
  if (!tool) return [];
  const ref = tool.server ? `${tool.server}/${tool.name}` : tool.name;
  const out: Fix[] = [];
  for (const b of ctx.agents.bindings()) {
    const text = textOf(ctx, b.file);
    const edits = text === undefined ? undefined : appendTool(b, text, ref);
    if (!edits) continue;
    out.push({
      title: `Add ${ref} to ${b.name ? `${b.name}'s binding` : `the binding in ${ctx.displayPath(b.file)}`}`,
      ruleId: finding.ruleId,
      finding,
      edits,
    });
  }
  return out;
}

function appendTool(b: AgentBinding, text: string, ref: string): FixEdit[] | undefined {
  const json = /\.json$/i.test(b.file);
  const item = json || !/^[A-Za-z0-9_][A-Za-z0-9_.\/@-]*$/.test(ref) ? JSON.stringify(ref) : ref;
  const list = b.keys.tools;
  const items = Object.keys(b.keys)
    .filter((k) => /^tools\[\d+\]$/.test(k))
    .sort((x, y) => Number(/\d+/.exec(x)![0]) - Number(/\d+/.exec(y)![0]))
    .map((k) => b.keys[k].value);
  const lines = new LineIndex(text);
  const nl = lineBreakOf(text);
  if (!list) return json ? jsonNewKey(b.file, text, ref, nl) : yamlNewKey(b, text, item, nl);
  const value = text.slice(lines.offsetAt(list.value.start), lines.offsetAt(list.value.end));
  if (value.startsWith('[')) return [flowAppend(b.file, text, list.value, items, item, nl)];
  if (json) return undefined;
  if (items.length) {
    const last = items[items.length - 1];
    const lineStart = lines.offsetAt({ line: last.start.line, character: 0 });
    const prefix = text.slice(lineStart, lines.offsetAt(last.start));
    const dash = /^[ \t]*-[ \t]+$/.test(prefix) ? prefix : `${' '.repeat(Math.max(0, last.start.character - 2))}- `;
    return [insertion(b.file, lineEnd(text, last.end.line), `${nl}${dash}${item}`)];
  }
  // `tools:` with no value (or `~`, `null`): the list starts on the next line.
  if (!/^(~|null|Null|NULL)?$/.test(value.trim())) return undefined;
  const keyLine = list.key.start.line;
  const edits: FixEdit[] = [insertion(b.file, lineEnd(text, keyLine), `${nl}${indentOf(text, keyLine)}  - ${item}`)];
  if (value) edits.unshift({ file: b.file, range: list.value, newText: '' });
  return edits;
}

/** `[a, b]` → `[a, b, c]`; a list written one item per line gets its new item on a line of its own. */
function flowAppend(file: string, text: string, list: Range, items: Range[], item: string, nl: string): FixEdit {
  if (!items.length) return insertion(file, { line: list.start.line, character: list.start.character + 1 }, item);
  const last = items[items.length - 1];
  const ownLine = last.start.line !== list.start.line;
  return insertion(file, last.end, ownLine ? `,${nl}${indentOf(text, last.start.line)}${item}` : `, ${item}`);
}

/** A binding without `tools:` gets one at its end, at the indentation of its other keys. */
function yamlNewKey(b: AgentBinding, text: string, item: string, nl: string): FixEdit[] | undefined {
  const lines = new LineIndex(text);
  if (b.range.start.character !== 0 || text.slice(lines.offsetAt(b.range.start)).startsWith('{')) return undefined;
  const end = lines.positionAt(text.length);
  const sep = text === '' || /[\r\n]$/.test(text) ? '' : nl;
  return [insertion(b.file, end, `${sep}tools:${nl}  - ${item}${nl}`)];
}

function jsonNewKey(file: string, text: string, ref: string, nl: string): FixEdit[] {
  const lines = new LineIndex(text);
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: nl };
  return modify(text, ['tools'], [ref], { formattingOptions }).map((e) => ({
    file,
    range: lines.range(e.offset, e.offset + e.length),
    newText: e.content,
  }));
}
