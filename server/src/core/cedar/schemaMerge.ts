import type { Finding } from '../findings/finding';
import { declKey } from './schemaDecls';
import type { SchemaFileModel } from './schemaFile';
import type { SchemaJson } from './gateway';

/** Merges schemas by namespace; a name declared twice (across formats) is reported on the second. */
export function mergeJson(sources: { json: SchemaJson; file: SchemaFileModel | undefined }[]): {
  merged: SchemaJson;
  duplicates: Finding[];
} {
  const merged: SchemaJson = {};
  const duplicates: Finding[] = [];
  const owner = new Map<string, SchemaFileModel | undefined>();
  for (const { json, file: f } of sources) {
    for (const [ns, def] of Object.entries(json)) {
      const into = (merged[ns] ??= { entityTypes: {}, actions: {} });
      for (const section of ['entityTypes', 'actions', 'commonTypes'] as const) {
        for (const [name, value] of Object.entries(def[section] ?? {})) {
          const kind = section === 'entityTypes' ? 'entity' : section === 'actions' ? 'action' : 'commonType';
          const key = declKey(kind, ns, name);
          if (owner.has(key)) {
            const first = owner.get(key);
            if (f && first !== f) {
              const decl = f.decls.find((d) => d.kind === kind && d.namespace === ns && d.name === name);
              duplicates.push({
                ruleId: 'cedar-schema',
                severity: 'error',
                message: `${kind === 'entity' ? 'Entity type' : kind === 'action' ? 'Action' : 'Common type'} ${key} is already declared in ${first?.file ?? 'another schema file'}.`,
                file: f.file,
                range: decl
                  ? f.lines.range(decl.nameStart, decl.nameEnd)
                  : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              });
            }
            continue;
          }
          owner.set(key, f);
          ((into[section] ??= {}) as Record<string, unknown>)[name] = value;
        }
      }
      if (def.annotations) into.annotations = { ...into.annotations, ...def.annotations };
    }
  }
  return { merged, duplicates };
}
