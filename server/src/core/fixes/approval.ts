import type { ActionInfo, SchemaModel } from '../cedar/schemaModel';
import type { CedarType } from '../cedar/types';

/**
 * The step-up condition (SPEC §11: `context.approval` is an optional record with `granted`).
 * Written with `&&` because Cedar's validator proves the optional attribute present only on the
 * right of a `has` joined by `&&`: `!(context has approval) || context.approval.granted` fails
 * validation ("unable to guarantee safety of access to optional attribute").
 */
export const STEP_UP = 'context has approval && context.approval.granted';

/** An action whose context declares `approval` as a record with a Boolean `granted`. */
export function declaresApproval(action: ActionInfo): boolean {
  const approval = recordAttrs(action.context)?.approval?.type;
  return recordAttrs(approval)?.granted?.type.kind === 'Bool';
}

function recordAttrs(t: CedarType | undefined) {
  return t?.kind === 'Record' ? t.attributes : undefined;
}

/** The actions of a schema that a statement's action uids reach: the named ones and the members of named groups. */
export function actionsReached(schema: SchemaModel, uids: string[]): ActionInfo[] {
  const named = new Set(uids);
  const reached = new Map<string, ActionInfo>();
  for (const a of schema.actions.values()) {
    if (named.has(a.uid) || inGroup(schema, a, named, new Set())) reached.set(a.uid, a);
  }
  return [...reached.values()];
}

function inGroup(schema: SchemaModel, a: ActionInfo, groups: Set<string>, seen: Set<string>): boolean {
  for (const g of a.memberOf) {
    if (groups.has(g)) return true;
    if (seen.has(g)) continue;
    seen.add(g);
    const parent = schema.actions.get(g);
    if (parent && inGroup(schema, parent, groups, seen)) return true;
  }
  return false;
}

/** Actions a request can be made for (groups have no `appliesTo`). */
export function isApplicable(a: ActionInfo): boolean {
  return a.principalTypes.length > 0 && a.resourceTypes.length > 0;
}
