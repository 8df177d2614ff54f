import { positionAt } from './lspHarness';

export interface HugeFile {
  text: string;
  /** Range of the one parse error, the `}` of the broken policy in the middle. */
  error: { start: { line: number; character: number }; end: { line: number; character: number } };
  policies: number;
}

/**
 * A generated policy file of `megabytes`, valid but for one broken policy in the middle.
 * `commentChars` pads each policy with a comment: more padding, fewer (and cheaper) policies.
 */
export function hugePolicyFile(megabytes: number, commentChars = 0): HugeFile {
  const pad = commentChars
    ? `// ${'Zürich 🔥 approval notes '.repeat(Math.ceil(commentChars / 26)).slice(0, commentChars)}\n`
    : '';
  const one = (i: number) =>
    `${pad}@id("bulk-${i}")\npermit (\n  principal == Platform::Agent::"agent-${i}",\n  action == Platform::Action::"get_invoice",\n  resource == Platform::McpServer::"payments"\n)\nwhen { context.input.invoiceId == "INV-${i}" };\n\n`;
  const parts: string[] = [];
  const target = megabytes * 1024 * 1024;
  const count = Math.ceil(target / one(0).length);
  let size = 0;
  for (let i = 0; size < target; i++) {
    const p = i === Math.floor(count / 2) ? `@id("bulk-broken")\npermit (principal, action, resource) when { 1 + };\n\n` : one(i);
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  const text = parts.join('');
  const at = text.indexOf('1 + }') + 4;
  return { text, error: { start: positionAt(text, at), end: positionAt(text, at + 1) }, policies: parts.length };
}
