import type { AgentBinding } from '../bindings/model';
import { declHash } from '../cedar/declHash';
import { declKey, qualify } from '../cedar/schemaDecls';
import type { SchemaJson } from '../cedar/gateway';
import type { Settings } from '../settings';
import type { FieldType, InputField } from '../tools/model';
import type { WorkspaceTool } from './agentIndex';

type JsonType = Record<string, unknown>;

/** The Cedar schema fragment derived from the workspace's tools, and which tool each action comes from. */
export interface DerivedFragment {
  json: SchemaJson;
  /** Action uid (`Ns::Action::"tool"`) → the tool it was derived from. */
  actions: Map<string, WorkspaceTool>;
}

/**
 * SPEC §4/§11: one action per tool, named after the tool, its arguments typed as
 * `context.input` and step-up as the optional `context.approval`. Only what the workspace schema
 * does not declare is derived: a workspace action of the same name (in any namespace) wins.
 */
export function deriveToolFragment(
  tools: WorkspaceTool[],
  declaredActions: Set<string>,
  declaredTypes: Set<string>,
  bindings: AgentBinding[],
  settings: Pick<Settings, 'actionNamespace' | 'resourceType'>,
): DerivedFragment {
  declaredActions = new Set(declaredActions);
  declaredTypes = new Set(declaredTypes);
  const ns = settings.actionNamespace;
  const json: SchemaJson = {};
  const space = (name: string) => (json[name] ??= { entityTypes: {}, actions: {} });
  const declareType = (qualified: string) => {
    if (declaredTypes.has(qualified)) return;
    const at = qualified.lastIndexOf('::');
    space(at < 0 ? '' : qualified.slice(0, at)).entityTypes[at < 0 ? qualified : qualified.slice(at + 2)] = {};
    declaredTypes.add(qualified);
  };
  // A bare type name means the workspace's type of that name when it declares one (Cedar forbids
  // a new `McpServer` that another namespace's `McpServer` would shadow).
  const resolveType = (name: string) => {
    if (name.includes('::') || declaredTypes.has(qualify(ns, name))) return name.includes('::') ? name : qualify(ns, name);
    const same = [...declaredTypes].filter((t) => t === name || t.endsWith(`::${name}`)).sort();
    return same[0] ?? qualify(ns, name);
  };
  const principals = [...new Set(bindings.map((b) => b.principal?.type).filter((t): t is string => !!t))].sort();
  if (!principals.length) principals.push(resolveType('Agent'));
  const resource = resolveType(settings.resourceType);
  const actions = new Map<string, WorkspaceTool>();
  for (const tool of tools) {
    if (!tool.nameKnown || declaredActions.has(tool.name)) continue;
    declaredActions.add(tool.name);
    principals.forEach(declareType);
    declareType(resource);
    space(ns).actions[tool.name] = actionDecl(tool, principals, resource);
    actions.set(declKey('action', ns, tool.name), tool);
  }
  return { json, actions };
}

type ActionDecl = SchemaJson[string]['actions'][string];

/**
 * Keys of a derived fragment without writing it out: `fingerprint` changes exactly when its
 * content does, `skeleton` when anything but the actions' contexts and docs does (what Cedar's
 * check of a merged schema depends on). Both read each declaration through a cache by object,
 * so a tool's edit costs its own declaration, not a megabyte of JSON for a thousand tools.
 */
export function fragmentKeys(json: SchemaJson): { fingerprint: string; skeleton: string } {
  const content: unknown[] = [];
  const shape: unknown[] = [];
  for (const [ns, def] of Object.entries(json)) {
    const ids = Object.keys(def.actions ?? {});
    content.push(
      ns,
      def.entityTypes,
      ids.map((id) => `${id}#${declHash(def.actions[id])}`),
    );
    shape.push(
      ns,
      def.entityTypes,
      ids.map((id) => `${id}#${skeletonOf(def.actions[id])}`),
    );
  }
  return { fingerprint: JSON.stringify(content), skeleton: JSON.stringify(shape) };
}

const skeletons = new WeakMap<object, string>();
/** A declaration without its context and annotations. */
function skeletonOf(decl: ActionDecl): string {
  let s = skeletons.get(decl);
  if (s === undefined) {
    s = JSON.stringify(decl, (key, value: unknown) => (key === 'context' || key === 'annotations' ? undefined : value));
    skeletons.set(decl, s);
  }
  return s;
}

/**
 * A tool's action declaration, the same object while the tool (content-stable: an edit elsewhere
 * in its file keeps it) and the principal and resource types are the same, so what is computed
 * from declarations by object (their hashes for validation slices) is not computed again.
 */
const declsByTool = new WeakMap<WorkspaceTool, { key: string; decl: ActionDecl }>();

function actionDecl(tool: WorkspaceTool, principals: string[], resource: string): ActionDecl {
  const key = JSON.stringify([principals, resource]);
  const known = declsByTool.get(tool);
  if (known?.key === key) return known.decl;
  const decl = {
    appliesTo: {
      principalTypes: principals,
      resourceTypes: [resource],
      context: {
        type: 'Record',
        attributes: {
          input: { type: 'Record', attributes: fieldsToAttributes(tool.input?.fields ?? []) },
          approval: {
            type: 'Record',
            required: false,
            attributes: { granted: { type: 'Boolean' }, approver: { type: 'String', required: false } },
          },
        },
      },
    },
    // No `doc` annotation with the tool's description: hover describes the tool itself, and a
    // description edit then leaves the fragment's text the same, so nothing is re-validated.
  } as ActionDecl;
  declsByTool.set(tool, { key, decl });
  return decl;
}

/** Deeper tool inputs are left out: Cedar's schema checks overflow past about a hundred levels. */
const MAX_INPUT_DEPTH = 16;

function fieldsToAttributes(fields: InputField[], depth = 0): Record<string, JsonType> {
  const out: Record<string, JsonType> = {};
  if (depth > MAX_INPUT_DEPTH) return out;
  for (const f of fields) {
    const t = cedarType(f.type, depth + 1);
    // A field whose type is not statically known is left out rather than guessed.
    if (t) out[f.name] = f.required ? t : { ...t, required: false };
  }
  return out;
}

/** A tool input type as a Cedar JSON schema type; numbers are Longs (Cedar has no floats). */
export function cedarType(t: FieldType, depth = 0): JsonType | undefined {
  if (depth > MAX_INPUT_DEPTH) return undefined;
  switch (t.kind) {
    case 'string':
      return { type: 'String' };
    case 'number':
      return { type: 'Long' };
    case 'boolean':
      return { type: 'Boolean' };
    case 'array': {
      const element = cedarType(t.items, depth + 1);
      return element ? { type: 'Set', element } : undefined;
    }
    case 'object':
      return { type: 'Record', attributes: fieldsToAttributes(t.fields, depth + 1) };
    default:
      return undefined;
  }
}
