import type { WorkspaceTool } from '../../agents/agentIndex';
import type { EntityUid } from '../../cedar/gateway';
import { qualify } from '../../cedar/schemaDecls';
import type { SchemaModel } from '../../cedar/schemaModel';
import { perObject } from '../../engine/memo';
import type { Settings } from '../../settings';

/** The Cedar request a call of a tool makes (SPEC §11): its action, and its resource when the server is known. */
export interface ToolAction {
  action: EntityUid;
  /** `Ns::Action::"tool"`, as `actionReach` names actions. */
  key: string;
  /** The action groups holding it, transitively (as keys). */
  groups: string[];
  /** Undefined when the tool's server is not known: the resource is then left unknown. */
  resource?: EntityUid;
}

type SchemaAction = SchemaModel['actions'] extends Map<string, infer A> ? A : never;

/**
 * A schema's actions by id (any namespace), first by uid: every tool looks its name up, and a
 * scan of 1,000 actions per tool was 9 ms of every edit that rebuilt the schema.
 */
const actionsById = perObject((schema: SchemaModel) => {
  const map = new Map<string, SchemaAction[]>();
  for (const a of schema.actions.values()) {
    const list = map.get(a.id);
    if (list) list.push(a);
    else map.set(a.id, [a]);
  }
  for (const list of map.values()) list.sort((a, b) => a.uid.localeCompare(b.uid));
  return map;
});

/**
 * The action of a tool: the action of the tool's name in the schema that applies to its file
 * (any namespace; the derived fragment declares the rest), else `Action::"<tool>"` in the
 * configured namespace. Its resource: `resourceType::"<server>"`, or the type the action's
 * `appliesTo` names instead.
 */
export function toolAction(
  tool: WorkspaceTool,
  schema: SchemaModel | undefined,
  settings: Pick<Settings, 'actionNamespace' | 'resourceType'>,
): ToolAction {
  const declared = schema ? actionsById(schema).get(tool.name)?.[0] : undefined;
  const actionType = declared
    ? declared.namespace
      ? `${declared.namespace}::Action`
      : 'Action'
    : qualify(settings.actionNamespace, 'Action');
  const action = { type: actionType, id: tool.name };
  const key = `${actionType}::${JSON.stringify(tool.name)}`;
  const groups: string[] = [];
  if (declared && schema) {
    const queue = [...declared.memberOf];
    while (queue.length) {
      const g = queue.shift()!;
      if (groups.includes(g)) continue;
      groups.push(g);
      queue.push(...(schema.actions.get(g)?.memberOf ?? []));
    }
  }
  const configured = settings.resourceType.includes('::')
    ? settings.resourceType
    : qualify(settings.actionNamespace, settings.resourceType);
  const types = declared?.resourceTypes ?? [];
  const resourceType =
    !types.length || types.some((t) => t === configured || t.endsWith(`::${settings.resourceType}`))
      ? (types.find((t) => t === configured || t.endsWith(`::${settings.resourceType}`)) ?? configured)
      : types[0];
  return { action, key, groups, ...(tool.server ? { resource: { type: resourceType, id: tool.server } } : {}) };
}
