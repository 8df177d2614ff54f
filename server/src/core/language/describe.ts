import type { ActionInfo, EntityTypeInfo, Location } from '../cedar/schemaModel';
import { typeToString } from '../cedar/types';

/** Markdown for an entity type, written the way a schema declares it. */
export function describeEntityType(e: EntityTypeInfo, where: (loc: Location) => string): string {
  const parents = e.memberOfTypes.length ? ` in [${e.memberOfTypes.join(', ')}]` : '';
  let body: string;
  if (e.enumValues) body = ` enum [${e.enumValues.map((v) => JSON.stringify(v)).join(', ')}]`;
  else {
    const attrs = Object.entries(e.attributes).map(([k, a]) => `  ${k}${a.required ? '' : '?'}: ${typeToString(a.type, 1)},`);
    body = attrs.length ? ` {\n${attrs.join('\n')}\n}` : '';
  }
  const tags = e.tags ? ` tags ${typeToString(e.tags)}` : '';
  return [fence(`entity ${e.name}${parents}${body}${tags};`), e.doc, e.decl ? `Declared in ${where(e.decl)}` : undefined]
    .filter(Boolean)
    .join('\n\n');
}

/** Markdown for an action: who may perform it on what, with what context. */
export function describeAction(a: ActionInfo, where: (loc: Location) => string): string {
  const groups = a.memberOf.length ? ` in [${a.memberOf.join(', ')}]` : '';
  const applies =
    a.principalTypes.length || a.resourceTypes.length
      ? ` appliesTo {\n  principal: [${a.principalTypes.join(', ')}],\n  resource: [${a.resourceTypes.join(', ')}],\n  context: ${typeToString(a.context)}\n}`
      : '';
  return [fence(`action ${a.uid}${groups}${applies};`), a.doc, a.decl ? `Declared in ${where(a.decl)}` : undefined]
    .filter(Boolean)
    .join('\n\n');
}

export function fence(code: string, lang = 'cedarschema'): string {
  return `\`\`\`${lang}\n${code}\n\`\`\``;
}
