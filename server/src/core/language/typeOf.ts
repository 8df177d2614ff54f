import type { SchemaModel } from '../cedar/schemaModel';
import type { Attribute, CedarType } from '../cedar/types';
import type { ChainBase } from './cursor';
import { actionsInScope, type PolicyScope, qualifyType, typesOfVar } from './policyScope';

/** An attribute reachable at some point of a chain, with where it comes from. */
export interface ReachableAttribute {
  name: string;
  attribute: Attribute;
  /** e.g. `Platform::Agent` or `context of Platform::Action::"read"`. */
  owner: string;
}

/** The possible types of a chain's base: several when the scope allows several actions or types. */
function baseTypes(base: ChainBase, scope: PolicyScope, schema: SchemaModel): { type: CedarType; owner: string }[] {
  if ('entityType' in base)
    return [{ type: { kind: 'Entity', name: qualifyType(base.entityType, schema) }, owner: base.entityType }];
  if (base.var === 'principal' || base.var === 'resource') {
    return typesOfVar(base.var, scope, schema).map((name) => ({ type: { kind: 'Entity', name }, owner: name }));
  }
  if (base.var === 'context')
    return actionsInScope(scope, schema).map((a) => ({ type: a.context, owner: `context of ${a.uid}` }));
  return [];
}

/** The attributes a value of this type has (records directly, entities through the schema). */
export function attributesOfType(type: CedarType, schema: SchemaModel): Record<string, Attribute> {
  if (type.kind === 'Record') return type.attributes;
  if (type.kind === 'Entity') return schema.entityTypes.get(type.name)?.attributes ?? {};
  return {};
}

/** Attributes available after `base.path…` + `.`, merged over every possible type. */
export function attributesAfter(base: ChainBase, path: string[], scope: PolicyScope, schema: SchemaModel): ReachableAttribute[] {
  let current = baseTypes(base, scope, schema);
  for (const seg of path) {
    const next: { type: CedarType; owner: string }[] = [];
    for (const c of current) {
      const attr = attributesOfType(c.type, schema)[seg];
      if (attr) next.push({ type: attr.type, owner: attr.type.kind === 'Entity' ? attr.type.name : `${c.owner}.${seg}` });
    }
    current = next;
  }
  const out = new Map<string, ReachableAttribute>();
  for (const c of current) {
    for (const [name, attribute] of Object.entries(attributesOfType(c.type, schema)))
      if (!out.has(name)) out.set(name, { name, attribute, owner: c.owner.replace(/^context of [^.]+\./, 'context.') });
  }
  return [...out.values()];
}

/** Every possible declaration of one attribute at the end of a chain. */
export function attributeCandidates(
  base: ChainBase,
  path: string[],
  name: string,
  scope: PolicyScope,
  schema: SchemaModel,
): ReachableAttribute[] {
  let current = baseTypes(base, scope, schema);
  for (const seg of path) {
    current = current.flatMap((c) => {
      const attr = attributesOfType(c.type, schema)[seg];
      return attr ? [{ type: attr.type, owner: `${c.owner}.${seg}` }] : [];
    });
  }
  return current.flatMap((c) => {
    const attribute = attributesOfType(c.type, schema)[name];
    return attribute ? [{ name, attribute, owner: c.owner }] : [];
  });
}
