import { tooDeepErrors } from '../cedar/policyCheck';
import { parsePolicyFile } from '../cedar/policyFile';
import { cedar } from '../cedar/wasm';

export interface FormatOptions {
  tabSize: number;
  lineWidth?: number;
}

/** The formatted text of a policy file, or undefined when it does not parse (nothing to change then). */
export function formatPolicyText(text: string, options: FormatOptions): string | undefined {
  if (!text.trim()) return undefined;
  // The formatter recurses like the parser: never hand it what would overflow its stack.
  if (parsePolicyFile(text).statements.some((s) => tooDeepErrors(s.text))) return undefined;
  const answer = cedar().formatPolicies({ policyText: text, indentWidth: options.tabSize, lineWidth: options.lineWidth ?? 80 });
  return answer.type === 'success' ? answer.formatted_policy : undefined;
}
