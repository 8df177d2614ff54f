import { parseJsonc } from '../tools/json/jsoncLocated';
import type { DiscoveryProblem } from '../tools/model';
import { Checker } from './checker';
import type { AgentBinding } from './model';
import { readBinding } from './read';
import { parseYamlLocated } from './yamlLocated';

export type * from './model';
export { parseDuration, formatDuration } from './duration';
export { parseEntityRef } from './principal';
export * as bindingRules from './rules';

/** A parsed binding file: the binding (when the document is a mapping) and its problems. */
export interface BindingParseResult {
  binding: AgentBinding | undefined;
  problems: DiscoveryProblem[];
}

/** True for `*.agent.yaml`, `*.agent.yml` and `*.agent.json`. */
export function isBindingFile(path: string): boolean {
  return /\.agent\.(ya?ml|json)$/i.test(path);
}

/**
 * Parses an agent identity binding (SPEC §5): YAML for `.agent.yaml|yml`, JSONC for
 * `.agent.json`. Never throws: broken syntax is a problem at its exact position, invalid
 * values are errors on the value, unknown keys warnings on the key.
 */
export function parseBinding(path: string, text: string): BindingParseResult {
  const parsed = /\.json$/i.test(path) ? parseJsonc(path, text) : parseYamlLocated(path, text);
  const check = new Checker(path);
  const binding = readBinding(parsed.root, path, check);
  // After a syntax error, "missing key" is usually just the part that did not parse.
  const broken = parsed.problems.some((p) => p.severity === 'error');
  const own = broken ? check.problems.filter((p) => p.code !== 'binding-missing-key') : check.problems;
  return { binding, problems: [...parsed.problems, ...own] };
}
