import type { Location } from '../cedar/schemaModel';
import type { GovernanceService } from '../service';
import type { Position } from '../text/range';
import { policyCursor } from './context';
import { targetAt } from './cursor';
import { bindingsOfPrincipal } from './describeAgent';
import { toolsOfAction } from './describeTool';
import { qualifyType, refToString } from './policyScope';
import { schemaTargetAt } from './schemaCursor';

/** Go to definition: entity types and actions in policies and schemas → their schema declaration. */
export function definition(service: GovernanceService, path: string, pos: Position): Location[] {
  const schemaFile = service.schemaFileModel(path);
  if (schemaFile) {
    const schema = service.schemaFor(path);
    const t = schema && schemaTargetAt(schemaFile, schemaFile.lines.offsetAt(pos), schema);
    if (!t || !schema) return [];
    const decl = schema.entityTypes.get(t.name)?.decl ?? schema.actions.get(t.name)?.decl ?? schema.commonTypes.get(t.name)?.decl;
    return decl ? [decl] : [];
  }
  const cur = policyCursor(service, path, pos);
  if (!cur?.schema) return [];
  const target = targetAt(cur.model.tokens, cur.offset);
  if (!target) return [];
  const schema = cur.schema;
  if (target.kind === 'uid') {
    const action = schema.actions.get(refToString(target));
    if (action) {
      // An action's definition is the tool's code it governs; its schema declaration is what
      // "Go to Declaration" answers (one target each, so F12 jumps instead of listing both).
      const tools = toolsOfAction(service.agents, action.id).map((t) => ({
        file: t.file,
        range: t.nameRange,
        fullRange: t.range,
      }));
      if (tools.length) return tools;
      if (action.decl) return [action.decl];
    }
    // On the id of an agent principal: its identity binding defines it. On the type: the type.
    const bound = cur.offset >= target.idStart ? bindingsOfPrincipal(service.agents, target.type, target.id) : [];
    if (bound.length) return bound.map((b) => ({ file: b.file, range: b.nameRange, fullRange: b.range }));
    const e = schema.entityTypes.get(qualifyType(target.type, schema));
    return e?.decl ? [e.decl] : [];
  }
  if (target.kind === 'type') {
    const e = schema.entityTypes.get(qualifyType(target.name, schema));
    return e?.decl ? [e.decl] : [];
  }
  return [];
}

/** Go to declaration: an action or entity type → where the schema declares it (never the tool's code). */
export function declaration(service: GovernanceService, path: string, pos: Position): Location[] {
  const cur = policyCursor(service, path, pos);
  if (!cur?.schema) return definition(service, path, pos);
  const target = targetAt(cur.model.tokens, cur.offset);
  if (target?.kind === 'uid') {
    const action = cur.schema.actions.get(refToString(target));
    if (action?.decl) return [action.decl];
    const type = cur.schema.entityTypes.get(qualifyType(target.type, cur.schema));
    if (type?.decl) return [type.decl];
  }
  return definition(service, path, pos);
}
