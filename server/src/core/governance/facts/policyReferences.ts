import type { WorkspaceTool } from '../../agents/agentIndex';
import { codeTokens } from '../../cedar/lexer';
import { type ActionRef, actionRefsIn } from '../../cedar/slices';
import type { SchemaModel } from '../../cedar/schemaModel';
import type { WorkspacePolicy } from '../../policies/policySet';
import type { LineIndex } from '../../text/lineIndex';
import { didYouMean } from '../../text/didYouMean';
import type { Subject } from '../subject';
import { reachIndexOf } from './access';
import type { ToolAction } from './actions';

/** What makes an action exist in the workspace, besides a schema. */
export interface PolicyReferenceInputs {
  policies: WorkspacePolicy[];
  tools: WorkspaceTool[];
  actions: Map<WorkspaceTool, ToolAction>;
  /** The schema a policy file is validated against (with the tools' derived actions), if any. */
  schemaFor: (file: string) => SchemaModel | undefined;
  /** The line index of a policy file, to place a reference inside its statement. */
  linesOf: (file: string) => LineIndex | undefined;
  /** The workspace's entities, as Cedar takes them: action groups may be declared there. */
  entities: unknown[];
}

/**
 * One `ToolReference` subject per action a policy names that exists nowhere (AG003): no tool
 * maps to it, no schema that applies to the policy declares it, and no entities file holds it
 * (an action group without a schema). Only for policies without a schema (SPEC §11): with one,
 * Cedar's validation already reports an undeclared action, and saying it twice is noise.
 */
export function policyReferenceSubjects(inputs: PolicyReferenceInputs): Subject[] {
  // A workspace without a single tool is a Cedar project, not an agent platform: its actions are
  // not tools, and Cedar's validation (with a schema) is the only judge of their names.
  if (!inputs.tools.some((t) => t.nameKnown)) return [];
  const known = knownActions(inputs);
  const schemas = new Map<string, SchemaModel | undefined>();
  const schemaOf = (file: string) => {
    if (!schemas.has(file)) schemas.set(file, inputs.schemaFor(file));
    return schemas.get(file);
  };
  const exists = (uid: string, schema: SchemaModel | undefined) => known.keys.has(uid) || !!schema?.actions.has(uid);
  // By the distinct actions named (a few), not by policy (a file may hold thousands naming the same).
  const { byUid, position } = reachIndexOf(inputs.policies);
  const suspects = new Set<WorkspacePolicy>();
  for (const [uid, policies] of byUid) {
    if (known.keys.has(uid)) continue;
    for (const p of policies) {
      const schema = schemaOf(p.file);
      if (!schema && !exists(uid, schema)) suspects.add(p);
    }
  }
  const out: Subject[] = [];
  for (const p of [...suspects].sort((a, b) => position.get(a)! - position.get(b)!)) {
    const schema = schemaOf(p.file);
    const lines = inputs.linesOf(p.file);
    if (!lines) continue;
    for (const ref of actionRefs(p.statement.text)) {
      if (exists(ref.uid, schema)) continue;
      const start = p.statement.start + ref.start;
      out.push({
        type: 'ToolReference',
        id: `${p.file}#${p.id}#${start}`,
        attrs: {
          from: 'policy',
          agent: '',
          reference: ref.uid,
          exists: false,
          suggestion: suggestionFor(ref.id, known, schema),
        },
        file: p.file,
        range: lines.range(start, p.statement.start + ref.end),
        policy: p.id,
        tool: ref.id,
      });
    }
  }
  return out;
}

interface KnownActions {
  /** Action uids (`Ns::Action::"id"`) of the tools, their groups and the entities' actions. */
  keys: Set<string>;
  /** Action uids of the tools, by tool name. */
  byName: Map<string, string[]>;
}

function knownActions({ tools, actions, entities }: PolicyReferenceInputs): KnownActions {
  const keys = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const t of tools) {
    const a = actions.get(t);
    if (!a) continue;
    keys.add(a.key);
    for (const g of a.groups) keys.add(g);
    byName.set(t.name, [...new Set([...(byName.get(t.name) ?? []), a.key])]);
  }
  for (const e of entities) {
    const uid = (e as { uid?: { type?: unknown; id?: unknown } })?.uid;
    const parents = (e as { parents?: unknown })?.parents;
    const add = (x: { type?: unknown; id?: unknown } | undefined) => {
      if (typeof x?.type === 'string' && typeof x.id === 'string' && isActionType(x.type))
        keys.add(`${x.type}::${JSON.stringify(x.id)}`);
    };
    add(uid);
    if (Array.isArray(parents)) for (const p of parents) add(p as { type?: unknown; id?: unknown });
  }
  return { keys, byName };
}

const isActionType = (type: string) => type === 'Action' || type.endsWith('::Action');

/** The actions a statement names, with their offsets (the same reading as `actionReach`). */
function actionRefs(text: string): ActionRef[] {
  return actionRefsIn(codeTokens(text));
}

function suggestionFor(id: string, known: KnownActions, schema: SchemaModel | undefined): string {
  const sameName = known.byName.get(id);
  if (sameName?.length)
    return `Tool "${id}" is the action \`${sameName.join('`, `')}\`: write its namespace as the tool's action has it.`;
  const candidates = new Map<string, string>();
  for (const [name, uids] of known.byName) candidates.set(name, uids[0]);
  for (const a of schema?.actions.values() ?? []) if (!candidates.has(a.id)) candidates.set(a.id, a.uid);
  const nearest = didYouMean(id, candidates.keys(), { maxDistance: Math.max(2, Math.floor(id.length / 3)) });
  return nearest
    ? `Did you mean \`${candidates.get(nearest)}\`? Otherwise define the tool or declare the action in the schema.`
    : 'Define a tool of that name, declare the action in the Cedar schema, or fix the name.';
}
