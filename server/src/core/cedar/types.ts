/** A resolved Cedar type, as hover and completion need it. */
export type CedarType =
  | { kind: 'String' }
  | { kind: 'Long' }
  | { kind: 'Bool' }
  | { kind: 'Set'; element: CedarType }
  | { kind: 'Record'; attributes: Record<string, Attribute>; open?: boolean }
  | { kind: 'Entity'; name: string }
  | { kind: 'Extension'; name: string }
  | { kind: 'Unknown'; name: string };

export interface Attribute {
  type: CedarType;
  required: boolean;
  doc?: string;
}

const EXTENSIONS = new Set(['ipaddr', 'decimal', 'datetime', 'duration']);

/** Cedar-syntax text of a type, as a schema would write it. */
export function typeToString(t: CedarType, depth = 0): string {
  switch (t.kind) {
    case 'Set':
      return `Set<${typeToString(t.element, depth)}>`;
    case 'Record': {
      const entries = Object.entries(t.attributes);
      if (!entries.length) return '{}';
      if (depth > 1) return '{ … }';
      return `{ ${entries.map(([k, a]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}${a.required ? '' : '?'}: ${typeToString(a.type, depth + 1)}`).join(', ')} }`;
    }
    case 'Entity':
    case 'Extension':
    case 'Unknown':
      return t.name;
    default:
      return t.kind;
  }
}

/** Resolves a type of a namespace's JSON schema against the whole (merged) schema. */
export class TypeResolver {
  constructor(
    private readonly entityTypes: Set<string>,
    private readonly commonTypes: Map<string, unknown>,
  ) {}

  resolve(raw: unknown, namespace: string, seen: Set<string> = new Set()): CedarType {
    if (!raw || typeof raw !== 'object') return { kind: 'Unknown', name: String(raw) };
    const t = raw as {
      type?: string;
      name?: string;
      element?: unknown;
      attributes?: Record<string, unknown>;
      additionalAttributes?: boolean;
    };
    switch (t.type) {
      case 'String':
        return { kind: 'String' };
      case 'Long':
        return { kind: 'Long' };
      case 'Boolean':
      case 'Bool':
        return { kind: 'Bool' };
      case 'Set':
        return { kind: 'Set', element: this.resolve(t.element, namespace, seen) };
      case 'Record': {
        const attributes: Record<string, Attribute> = {};
        for (const [k, v] of Object.entries(t.attributes ?? {})) {
          const attr = v as { required?: boolean; annotations?: Record<string, string> };
          attributes[k] = {
            type: this.resolve(v, namespace, seen),
            required: attr.required !== false,
            doc: attr.annotations?.doc,
          };
        }
        return { kind: 'Record', attributes, ...(t.additionalAttributes ? { open: true } : {}) };
      }
      case 'Entity':
        return { kind: 'Entity', name: this.qualifyEntity(t.name ?? '', namespace) };
      case 'Extension':
        return { kind: 'Extension', name: t.name ?? '' };
      case 'EntityOrCommon':
        return this.resolveName(t.name ?? '', namespace, seen);
      default:
        // The JSON format names a common type directly in `type`.
        return this.resolveName(t.type ?? '', namespace, seen);
    }
  }

  /** Cedar's lookup order for a bare name: common type, entity type, then the builtins. */
  resolveName(name: string, namespace: string, seen: Set<string>): CedarType {
    const candidates = name.includes('::') ? [name] : [namespace ? `${namespace}::${name}` : name, name];
    for (const c of candidates) {
      if (this.commonTypes.has(c)) {
        if (seen.has(c)) return { kind: 'Unknown', name: c };
        const ns = c.includes('::') ? c.slice(0, c.lastIndexOf('::')) : '';
        return this.resolve(this.commonTypes.get(c), ns, new Set([...seen, c]));
      }
      if (this.entityTypes.has(c)) return { kind: 'Entity', name: c };
    }
    const bare = name.replace(/^__cedar::/, '');
    if (bare === 'String') return { kind: 'String' };
    if (bare === 'Long') return { kind: 'Long' };
    if (bare === 'Bool' || bare === 'Boolean') return { kind: 'Bool' };
    if (EXTENSIONS.has(bare)) return { kind: 'Extension', name: bare };
    return { kind: 'Unknown', name };
  }

  qualifyEntity(name: string, namespace: string): string {
    if (name.includes('::')) return name;
    const inNs = namespace ? `${namespace}::${name}` : name;
    return this.entityTypes.has(inNs) || !this.entityTypes.has(name) ? inNs : name;
  }
}
