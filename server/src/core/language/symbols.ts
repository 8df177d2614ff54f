import type { GovernanceService } from '../service';
import type { Range } from '../text/range';

export type SymbolKindName = 'policy' | 'namespace' | 'entity' | 'action' | 'commonType';

export interface DocumentSymbolInfo {
  name: string;
  detail?: string;
  kind: SymbolKindName;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbolInfo[];
}

/** Outline of a policy file (policies by id) or a schema file (namespaces → types and actions). */
export function documentSymbols(service: GovernanceService, path: string): DocumentSymbolInfo[] {
  const policy = service.policyModel(path);
  if (policy) {
    return policy.statements
      .filter((s) => s.effect)
      .map((s) => {
        const ann = s.annotations.find((a) => a.name === 'id' && a.valueStart !== undefined);
        return {
          name: s.id,
          detail: s.isTemplate ? `${s.effect} (template)` : s.effect,
          kind: 'policy' as const,
          range: policy.lines.range(s.start, s.end),
          selectionRange: ann
            ? policy.lines.range(ann.valueStart!, ann.valueEnd!)
            : policy.lines.range(s.effectStart, s.effectEnd),
        };
      });
  }
  const schema = service.schemaFileModel(path);
  if (!schema) return [];
  const top: DocumentSymbolInfo[] = [];
  const namespaces = new Map<string, DocumentSymbolInfo>();
  for (const d of schema.decls) {
    const sym: DocumentSymbolInfo = {
      name: d.kind === 'action' ? JSON.stringify(d.name) : d.name,
      detail: d.kind === 'commonType' ? 'type' : d.kind,
      kind: d.kind,
      range: schema.lines.range(d.start, Math.max(d.end, d.nameEnd)),
      selectionRange: schema.lines.range(d.nameStart, d.nameEnd),
    };
    if (d.kind === 'namespace') {
      sym.children = [];
      namespaces.set(d.namespace, sym);
      top.push(sym);
    } else {
      const parent = namespaces.get(d.namespace);
      if (parent) {
        parent.children!.push(sym);
        if (
          sym.range.end.line > parent.range.end.line ||
          (sym.range.end.line === parent.range.end.line && sym.range.end.character > parent.range.end.character)
        )
          parent.range = { start: parent.range.start, end: sym.range.end };
      } else top.push(sym);
    }
  }
  return top;
}
