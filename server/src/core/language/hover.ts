import type { SchemaModel } from '../cedar/schemaModel';
import { typeToString } from '../cedar/types';
import type { GovernanceService } from '../service';
import type { Position, Range } from '../text/range';
import { policyCursor } from './context';
import { targetAt } from './cursor';
import { describeAction, describeEntityType, fence } from './describe';
import { configHover } from './configHover';
import { bindingsOfPrincipal, describeAgent } from './describeAgent';
import { describeTool, toolsOfAction } from './describeTool';
import { actionsInScope, qualifyType, refToString, typesOfVar } from './policyScope';
import { schemaTargetAt } from './schemaCursor';
import { attributeCandidates } from './typeOf';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Hover in a policy or schema file, or in `.agentgov/config.yaml`. */
export function hover(service: GovernanceService, path: string, pos: Position): HoverResult | undefined {
  const where = (loc: { file: string; range: Range }) => `${service.displayPath(loc.file)}:${loc.range.start.line + 1}`;
  if (service.file(path)?.kind === 'config') return configHover(service, path, pos);
  const schemaFile = service.schemaFileModel(path);
  if (schemaFile) {
    const schema = service.schemaFor(path);
    const t = schema && schemaTargetAt(schemaFile, schemaFile.lines.offsetAt(pos), schema);
    if (!t || !schema) return undefined;
    const e = schema.entityTypes.get(t.name);
    const a = schema.actions.get(t.name);
    const md = e ? describeEntityType(e, where) : a ? describeAction(a, where) : undefined;
    return md ? { markdown: md, range: schemaFile.lines.range(t.start, t.end) } : undefined;
  }
  const cur = policyCursor(service, path, pos);
  if (!cur?.schema) return undefined;
  const schema = cur.schema;
  const target = targetAt(cur.model.tokens, cur.offset);
  if (!target) return undefined;
  const range = cur.model.lines.range(target.start, target.end);
  let md = markdownFor(target, cur.scope, schema, where);
  if (md && target.kind === 'uid') {
    const action = schema.actions.get(refToString(target));
    const tools = action ? toolsOfAction(service.agents, action.id) : [];
    if (tools.length) md = [...tools.map((t) => describeTool(t, service.agents, where)), md].join('\n\n---\n\n');
    const agents = action ? [] : bindingsOfPrincipal(service.agents, target.type, target.id);
    if (agents.length) md = [...agents.map((b) => describeAgent(b, where)), md].join('\n\n---\n\n');
  }
  return md ? { markdown: md, range } : undefined;
}

function markdownFor(
  target: NonNullable<ReturnType<typeof targetAt>>,
  scope: Parameters<typeof actionsInScope>[0],
  schema: SchemaModel,
  where: (l: { file: string; range: Range }) => string,
): string | undefined {
  switch (target.kind) {
    case 'type': {
      const e = schema.entityTypes.get(qualifyType(target.name, schema));
      return e ? describeEntityType(e, where) : undefined;
    }
    case 'uid': {
      const a = schema.actions.get(refToString(target));
      if (a) return describeAction(a, where);
      const e = schema.entityTypes.get(qualifyType(target.type, schema));
      return e ? `${fence(`${e.name}::${JSON.stringify(target.id)}`, 'cedar')}\n\n${describeEntityType(e, where)}` : undefined;
    }
    case 'attribute': {
      const found = attributeCandidates(target.chain, target.path, target.name, scope, schema);
      if (!found.length) return undefined;
      const types = [
        ...new Set(found.map((f) => `${typeToString(f.attribute.type)}${f.attribute.required ? '' : ' (optional)'}`)),
      ];
      const owners = [...new Set(found.map((f) => f.owner))];
      const docs = [...new Set(found.map((f) => f.attribute.doc).filter(Boolean))];
      return [
        fence(`${target.name}: ${types.join(' | ')}`),
        ...docs,
        `Attribute of ${owners.map((o) => `\`${o}\``).join(', ')}`,
      ].join('\n\n');
    }
    case 'variable': {
      if (target.name === 'principal' || target.name === 'resource') {
        const types = typesOfVar(target.name, scope, schema);
        return `${fence(`${target.name}: ${types.join(' | ') || 'any entity'}`, 'cedar')}\n\nThe ${target.name} of the request, as this policy's scope and the schema allow.`;
      }
      if (target.name === 'action') {
        const actions = actionsInScope(scope, schema);
        return `${fence('action', 'cedar')}\n\nThis policy can apply to ${actions.length} action${actions.length === 1 ? '' : 's'}: ${actions
          .slice(0, 12)
          .map((a) => `\`${a.uid}\``)
          .join(', ')}${actions.length > 12 ? ', …' : ''}`;
      }
      const ctx = actionsInScope(scope, schema).map((a) => `${a.uid}: ${typeToString(a.context)}`);
      return `${fence(`context`, 'cedar')}\n\n${ctx.length ? ctx.map((c) => `- \`${c}\``).join('\n') : 'No action in scope.'}`;
    }
  }
}
