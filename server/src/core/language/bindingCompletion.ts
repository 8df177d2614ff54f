import {
  AUDIT_KEYS,
  CREDENTIAL_KEYS,
  CREDENTIAL_TYPES,
  IDENTITY_KEYS,
  IDENTITY_TYPES,
  RISK_LEVELS,
  TOP_LEVEL_KEYS,
} from '../bindings/rules';
import type { GovernanceService } from '../service';
import type { Position } from '../text/range';
import type { CompletionInfo } from './completion';

const KEYS_UNDER: Record<string, readonly string[]> = {
  identity: IDENTITY_KEYS,
  credentials: CREDENTIAL_KEYS,
  audit: AUDIT_KEYS,
};

/**
 * Completion in a YAML identity binding, without needing a YAML extension: tool references under
 * `tools:`/`risk:` from the workspace's tools, keys at each level, and the enumerated values.
 */
export function bindingCompletion(service: GovernanceService, path: string, pos: Position): CompletionInfo[] {
  const entry = service.file(path);
  if (entry?.kind !== 'binding' || path.endsWith('.json')) return [];
  // Line breaks as the protocol counts them: `\r\n`, `\n`, and a lone `\r`.
  const lines = entry.text.split(/\r\n|\r|\n/);
  const line = lines[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  const parent = parentKey(lines, pos.line, indentOf(line));
  const word = /[\w./:-]*$/.exec(before)![0];
  const range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };

  const item = /^\s*-\s*[\w./:-]*$/.test(before);
  if ((parent === 'tools' && item) || (parent === 'risk' && /^\s+[\w./-]*$/.test(before))) {
    const refs = new Map<string, string>();
    for (const t of service.agents.tools().filter((x) => x.nameKnown)) {
      const ref = t.server ? `${t.server}/${t.name}` : t.name;
      refs.set(ref, `${t.risk.level} risk${t.description ? ` — ${t.description}` : ''}`);
    }
    return [...refs].map(([label, detail]) => ({
      label,
      kind: 'action',
      detail,
      range,
      ...(parent === 'risk' ? { insertText: `${label}: ` } : {}),
    }));
  }
  const valueMatch = /^\s*(?:-\s+)?(\w+):\s*[\w-]*$/.exec(before);
  if (valueMatch) {
    const key = valueMatch[1];
    const values =
      key === 'type' && parent === 'identity'
        ? IDENTITY_TYPES
        : key === 'type' && parent === 'credentials'
          ? CREDENTIAL_TYPES
          : key === 'revokeOnTaskEnd'
            ? ['true', 'false']
            : parent === 'risk'
              ? RISK_LEVELS
              : undefined;
    if (values) return values.map((v) => ({ label: v, kind: 'keyword', range }));
    if (key === 'principal') return principalItems(service, path, range);
    return [];
  }
  if (/^\s*(?:-\s+)?[\w$]*$/.test(before)) {
    const keys = parent ? KEYS_UNDER[parent] : indentOf(line) === 0 ? TOP_LEVEL_KEYS.filter((k) => k !== '$schema') : undefined;
    return (keys ?? []).map((k) => ({ label: k, kind: 'keyword', insertText: `${k}: `, range }));
  }
  return [];
}

function principalItems(service: GovernanceService, path: string, range: CompletionInfo['range']): CompletionInfo[] {
  const schema = service.schemaFor(path.replace(/[^/\\]+$/, 'x.cedar'));
  const types = schema ? [...schema.entityTypes.keys()] : ['Agent'];
  const name = /name:\s*(\S+)/.exec(service.file(path)?.text ?? '')?.[1] ?? 'agent';
  return types.map((t) => ({ label: `${t}::"${name}"`, kind: 'entityType', detail: 'Cedar principal', range }));
}

export function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

/**
 * The block key a line belongs to. `ref` is where the line's own content starts; a `- ` item's
 * keys belong to the item's parent (`credentials:` for `  - name: x` / `    type: …`), and a
 * sequence may sit at its key's indentation (`tools:` then `- a`).
 */
export function parentKey(lines: string[], lineNo: number, ref: number): string | undefined {
  const isItem = /^\s*-(\s|$)/.test(lines[lineNo] ?? '');
  // A position past the last line (an editor a step ahead of us) looks up from the end.
  for (let i = Math.min(lineNo, lines.length) - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trim().startsWith('#')) continue;
    const ind = indentOf(l);
    const dash = /^(\s*)-\s+/.exec(l);
    if (dash && dash[0].length === ref && !isItem) return parentKey(lines, i, ind);
    const key = /^\s*([\w$]+):\s*(#.*)?$/.exec(l);
    if (key && (ind < ref || (ind === ref && isItem))) return key[1];
    if (ind < ref && !dash) return undefined;
  }
  return undefined;
}
