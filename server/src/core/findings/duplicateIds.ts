import type { PolicyFileModel } from '../cedar/policyFile';
import type { Finding } from './finding';

/** `@id`s used by more than one policy: Cedar cannot hold both in one policy set. */
export function duplicateIdFindings(files: { file: string; model: PolicyFileModel }[]): Map<string, Finding[]> {
  const uses = new Map<string, { file: string; model: PolicyFileModel; start: number; end: number }[]>();
  for (const f of files) {
    for (const s of f.model.statements) {
      if (!s.idFromAnnotation) continue;
      const ann = s.annotations.find((a) => a.name === 'id' && a.valueStart !== undefined)!;
      let list = uses.get(s.id);
      if (!list) uses.set(s.id, (list = []));
      list.push({ file: f.file, model: f.model, start: ann.valueStart!, end: ann.valueEnd! });
    }
  }
  const out = new Map<string, Finding[]>();
  for (const [id, list] of uses) {
    if (list.length < 2) continue;
    for (const use of list) {
      const others = list.filter((o) => o !== use);
      const finding: Finding = {
        ruleId: 'cedar-validation',
        severity: 'error',
        message: `Duplicate policy id "${id}": ${others.length === 1 ? 'another policy uses' : `${others.length} other policies use`} it too.`,
        file: use.file,
        range: use.model.lines.range(use.start, use.end),
        policy: id,
        related: others.map((o) => ({
          file: o.file,
          range: o.model.lines.range(o.start, o.end),
          message: `"${id}" is also used here`,
        })),
      };
      let arr = out.get(use.file);
      if (!arr) out.set(use.file, (arr = []));
      arr.push(finding);
    }
  }
  return out;
}
