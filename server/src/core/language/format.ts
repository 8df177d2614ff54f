import { cedarGateway } from '../cedar/gateway';
import { parsePolicyFile } from '../cedar/policyFile';

export interface FormatOptions {
  tabSize: number;
  lineWidth?: number;
}

/** The formatted text of a policy file, or undefined when it does not parse (nothing to change then). */
export function formatPolicyText(text: string, options: FormatOptions): string | undefined {
  if (!text.trim()) return undefined;
  const statements = parsePolicyFile(text).statements.map((s) => s.text);
  return cedarGateway.format(text, { indentWidth: options.tabSize, lineWidth: options.lineWidth ?? 80 }, statements);
}

/** The formatter of a document by its kind: Cedar's for policies; schemas and the rest have none yet. */
export function formatDocument(kind: string | undefined, text: string, options: FormatOptions): string | undefined {
  return kind === 'policy' ? formatPolicyText(text, options) : undefined;
}
