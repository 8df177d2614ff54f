import type { Range } from '../text/range';
import { entryOf, type LocatedValue } from '../tools/located';
import { Checker } from './checker';
import { readCredential } from './credentials';
import type { AgentBinding, RiskOverride, ToolRef } from './model';
import { parseEntityRef } from './principal';
import { AUDIT_KEYS, IDENTITY_KEYS, IDENTITY_TYPES, RISK_LEVELS, TOP_LEVEL_KEYS } from './rules';

/**
 * Builds an agent binding from a parsed document and checks it against the rules of
 * `rules.ts` (the same as the JSON Schema). Invalid parts are problems and left out; unknown
 * keys are warnings. Undefined only when the document is not a mapping at all.
 */
export function readBinding(root: LocatedValue | undefined, file: string, check: Checker): AgentBinding | undefined {
  const start: Range = root?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (root?.kind !== 'object') {
    check.report(
      start,
      root
        ? 'An agent binding must be a mapping of keys (name, principal, identity, …).'
        : 'An agent binding needs at least a `name`.',
      'binding-missing-key',
    );
    return undefined;
  }
  check.keysOf(root, '', TOP_LEVEL_KEYS, 'an agent binding');
  const nameEntry = entryOf(root, 'name');
  const name = check.string(nameEntry, 'name');
  const firstKey = root.entries[0]?.keyRange ?? start;
  if (!nameEntry) check.report(firstKey, 'An agent binding needs a `name`.', 'binding-missing-key');
  else if (name === '') check.report(nameEntry.value.range, '`name` must not be empty.', 'binding-invalid-value');

  const binding: AgentBinding = {
    file,
    name: name ?? '',
    nameRange: nameEntry?.value.range ?? firstKey,
    credentials: [],
    tools: [],
    risk: [],
    range: root.range,
    keys: check.keys,
  };
  const description = check.string(entryOf(root, 'description'), 'description');
  if (description !== undefined) binding.description = description;
  const environment = check.string(entryOf(root, 'environment'), 'environment');
  if (environment !== undefined) binding.environment = environment;

  const principalEntry = entryOf(root, 'principal');
  const principal = check.string(principalEntry, 'principal');
  if (principalEntry && principal !== undefined) {
    const parsed = parseEntityRef(principal);
    binding.principal = { text: principal, ...parsed, range: principalEntry.value.range };
    if (!parsed)
      check.report(
        principalEntry.value.range,
        `\`principal\` must be a Cedar entity reference such as \`Agent::"${name || 'my-agent'}"\`.`,
        'binding-invalid-value',
      );
  }

  const identity = check.object(entryOf(root, 'identity'), 'identity');
  if (identity) {
    check.keysOf(identity, 'identity.', IDENTITY_KEYS, '`identity`');
    binding.identity = { range: identity.range };
    const type = check.oneOf(entryOf(identity, 'type'), 'identity.type', IDENTITY_TYPES);
    if (type) binding.identity.type = type;
    const id = check.string(entryOf(identity, 'id'), 'identity.id');
    if (id !== undefined) binding.identity.id = id;
  }

  const credentials = check.list(entryOf(root, 'credentials'), 'credentials') ?? [];
  credentials.forEach((item, i) => {
    const cred = readCredential(item, i, check);
    if (cred) binding.credentials.push(cred);
  });

  const tools = check.list(entryOf(root, 'tools'), 'tools') ?? [];
  tools.forEach((item, i) => {
    check.keys[`tools[${i}]`] = { key: item.range, value: item.range };
    const ref = item.kind === 'string' ? toolRef(item.value, item.range) : undefined;
    if (ref) binding.tools.push(ref);
    else
      check.report(
        item.range,
        '`tools` entries must be tool names: `<server>/<tool>` or a bare tool name.',
        'binding-invalid-value',
      );
  });

  const audit = check.object(entryOf(root, 'audit'), 'audit');
  if (audit) {
    check.keysOf(audit, 'audit.', AUDIT_KEYS, '`audit`');
    binding.audit = { range: audit.range };
    const sink = check.string(entryOf(audit, 'sink'), 'audit.sink');
    if (sink !== undefined) binding.audit.sink = sink;
  }

  const risk = check.object(entryOf(root, 'risk'), 'risk');
  for (const e of risk?.entries ?? []) {
    check.keys[`risk.${e.key}`] = { key: e.keyRange, value: e.value.range };
    const level = check.oneOf(e, `risk.${e.key}`, RISK_LEVELS);
    const ref = toolRef(e.key, e.keyRange);
    if (level && ref) binding.risk.push({ ...ref, level, keyRange: e.keyRange } satisfies RiskOverride);
  }
  return binding;
}

/** `payments/create_refund` → server `payments`, tool `create_refund`; the last `/` splits, as server names may be scoped. */
export function toolRef(ref: string, range: Range): ToolRef | undefined {
  const text = ref.trim();
  const slash = text.lastIndexOf('/');
  if (slash < 0) return text ? { ref: text, tool: text, range } : undefined;
  const server = text.slice(0, slash);
  const tool = text.slice(slash + 1);
  return server && tool ? { ref: text, server, tool, range } : undefined;
}
