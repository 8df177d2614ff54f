import { Node, SyntaxKind, ts, type CallExpression } from 'ts-morph';
import type { FileContext } from './context';
import type { ImportedName } from './imports';
import { excerpt, objectProperty, propertyKey, staticString } from './literals';
import { inputFromSchema } from './inputSchema';
import { findDeclaration, unwrap, unwrapCompiler } from './scope';
import { isVercelAiModule } from './sdkModules';
import { compact, needsApprovalOf, stringProperty, unknownName, type ToolName } from './toolParts';
import { wrapAll } from './walk';

/** Where an AI SDK tool gets its name: a key of the object that holds it. */
interface ToolKey extends ToolName {
  /** The property assignment holding the call, when the key is written right there. */
  holder?: Node;
}

/**
 * Vercel AI SDK: `tool({ description, inputSchema | parameters, execute, needsApproval })`.
 * The SDK names a tool by its key in the `tools` object, so the name is found there: the
 * key the call is written under, or every key a `const` holding the tool is used under
 * (`{ weather }`, `getWeather: weather`, also inside objects spread into others).
 */
export function readVercelCall(call: CallExpression, callee: ImportedName, ctx: FileContext, keys: KeyIndex): boolean {
  if (!isVercelAiModule(callee.module) || (callee.name !== 'tool' && callee.name !== 'dynamicTool')) return false;
  const config = call.getArguments()[0];
  const schema = config && (objectProperty(config, 'inputSchema') ?? objectProperty(config, 'parameters'));
  const common = compact({
    description: stringProperty(config, 'description'),
    title: stringProperty(config, 'title'),
    input: schema ? inputFromSchema(schema, ctx) : undefined,
    needsApproval: needsApprovalOf(config),
    source: 'vercel-ai' as const,
    file: ctx.file,
  });
  for (const key of toolKeys(call, ctx, keys)) {
    const { holder, ...name } = key;
    ctx.tools.push({ ...name, ...common, input: common.input, range: ctx.range(holder ?? call) });
  }
  return true;
}

function toolKeys(call: CallExpression, ctx: FileContext, keys: KeyIndex): ToolKey[] {
  let child: Node = call;
  let parent = call.getParent();
  while (parent && unwrap(parent) !== parent) {
    child = parent;
    parent = parent.getParent();
  }
  if (parent && Node.isPropertyAssignment(parent) && parent.getInitializer() === child) {
    return [keyOf(parent, ctx)];
  }
  if (
    parent &&
    Node.isBinaryExpression(parent) &&
    parent.getRight() === child &&
    parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken
  ) {
    // `tools.weather = tool({...})` or `tools['weather'] = tool({...})`.
    const left = parent.getLeft();
    if (Node.isPropertyAccessExpression(left))
      return [{ name: left.getName(), nameKnown: true, nameRange: ctx.range(left.getNameNode()) }];
    if (Node.isElementAccessExpression(left)) {
      const arg = left.getArgumentExpression();
      const name = arg && staticString(arg);
      if (name !== undefined && arg) return [{ name, nameKnown: true, nameRange: ctx.range(arg) }];
    }
  }
  if (parent && Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) {
    const found = keys.usesOf(parent, ctx);
    if (found.length > 0) return found;
    return [
      unknownName(
        `<unnamed: ${parent.getName()}>`,
        parent.getNameNode(),
        ctx,
        `\`${parent.getName()}\` is an AI SDK tool, which is named by its key in a \`tools\` object, and no object in this file holds it; its name is not known here.`,
      ),
    ];
  }
  return [
    unknownName(
      `<unnamed: ${excerpt(call)}>`,
      call,
      ctx,
      'This AI SDK tool is not the value of a key in a `tools` object, so its name is not statically known.',
    ),
  ];
}

function keyOf(prop: Node, ctx: FileContext): ToolKey {
  const nameNode = (prop as import('ts-morph').PropertyAssignment).getNameNode();
  const name = propertyKey(nameNode);
  if (name !== undefined) return { name, nameKnown: true, nameRange: ctx.range(nameNode), holder: prop };
  return {
    ...unknownName(
      `<computed: ${excerpt(nameNode)}>`,
      nameNode,
      ctx,
      `The tool key \`${excerpt(nameNode)}\` is computed at run time, so the tool's name is not statically known.`,
    ),
    holder: prop,
  };
}

/**
 * Object keys whose value is a bare identifier (`{ weather }`, `getWeather: weather`), indexed
 * once per file by identifier text, so each `const x = tool()` finds its keys cheaply. The index
 * holds the compiler's nodes: wrapping every property of a file in ts-morph nodes took 1.2 s on a
 * 1 MB line of object literals; only the keys a tool's variable looks up are wrapped.
 */
export class KeyIndex {
  private index?: Map<string, ts.Node[]>;

  /** `properties`: the file's (shorthand) property assignments, from the file's one walk. */
  constructor(
    private readonly sf: Node,
    private readonly properties: () => readonly ts.Node[],
  ) {}

  usesOf(decl: Node, ctx: FileContext): ToolKey[] {
    const name = (decl as import('ts-morph').VariableDeclaration).getName();
    const out: ToolKey[] = [];
    for (const prop of wrapAll(this.sf, this.build().get(name) ?? [])) {
      const id = Node.isShorthandPropertyAssignment(prop)
        ? prop.getNameNode()
        : unwrap((prop as import('ts-morph').PropertyAssignment).getInitializerOrThrow());
      if (findDeclaration(name, id) !== decl) continue;
      if (Node.isShorthandPropertyAssignment(prop)) out.push({ name, nameKnown: true, nameRange: ctx.range(prop.getNameNode()) });
      else {
        // The definition is the call, not the `key: variable` that merely names it.
        const { holder: _, ...key } = keyOf(prop, ctx);
        out.push(key);
      }
    }
    // The same tool under the same key twice (e.g. two agents) is one tool.
    return out.filter((k, i) => !k.nameKnown || out.findIndex((o) => o.name === k.name) === i);
  }

  private build(): Map<string, ts.Node[]> {
    if (this.index) return this.index;
    const index = new Map<string, ts.Node[]>();
    const add = (name: string, node: ts.Node): void => {
      const list = index.get(name);
      if (list) list.push(node);
      else index.set(name, [node]);
    };
    for (const p of this.properties()) {
      if (ts.isShorthandPropertyAssignment(p)) add(p.name.text, p);
      else if (ts.isPropertyAssignment(p)) {
        const value = unwrapCompiler(p.initializer);
        if (ts.isIdentifier(value)) add(value.text, p);
      }
    }
    this.index = index;
    return index;
  }
}
