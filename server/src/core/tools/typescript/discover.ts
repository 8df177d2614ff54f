import { type CallExpression, type NewExpression, Node, ts } from 'ts-morph';
import { LineIndex } from '../../text/lineIndex';
import type { DiscoveryResult, SecretLiteral } from '../model';
import { FileContext } from './context';
import { ImportTable } from './imports';
import { readLangChainCall, readLangChainClass, readLangChainNew } from './langchain';
import { LIST_TOOLS_METHOD, readMcpListTools } from './mcpLowLevel';
import { MCP_SDK_METHODS, readMcpCall } from './mcpSdk';
import { readOpenAiAgentsCall } from './openaiAgents';
import { secretLiterals } from './secretLiterals';
import { parseWithinStack, syntaxProblems } from './project';
import { definesToolsByCall, mayDefineTools } from './sdkModules';
import { KeyIndex, readVercelCall } from './vercelAi';
import { compilerNodesByKind, wrapAll } from './walk';

/**
 * Finds the tool definitions of one TypeScript file, statically: the file is parsed on its
 * own (no type check, no module resolution) and never executed. Syntax errors are reported
 * and whatever still parses is read.
 */
export function discoverTypeScript(file: string, text: string): DiscoveryResult {
  if (!mayDefineTools(text)) return { tools: [], problems: [] };
  const { sf, skipped } = parseWithinStack(file, text);
  {
    const lines = new LineIndex(text);
    const imports = new ImportTable(sf);
    const ctx = new FileContext(file, sf, lines, imports);
    if (skipped) {
      ctx.problems.push({
        file,
        range: {
          start: { line: skipped.from, character: 0 },
          end: { line: skipped.to, character: text.split('\n')[skipped.to].replace(/\r$/, '').length },
        },
        message: `Lines ${skipped.from + 1}–${skipped.to + 1} are nested too deeply for the TypeScript parser and were skipped: tools defined there are missed.`,
        severity: 'error',
        code: 'ts-syntax',
      });
    } else ctx.problems.push(...syntaxProblems(sf, file, lines));
    if (imports.isEmpty) return { tools: [], problems: ctx.problems };

    // One walk of the file finds every node the readers start from.
    const nodes = compilerNodesByKind(sf, [
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.NewExpression,
      ts.SyntaxKind.ClassDeclaration,
      ts.SyntaxKind.PropertyAssignment,
      ts.SyntaxKind.ShorthandPropertyAssignment,
      ts.SyntaxKind.StringLiteral,
      ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ]);
    const keys = new KeyIndex(sf, () => [
      ...nodes.of(ts.SyntaxKind.ShorthandPropertyAssignment),
      ...nodes.of(ts.SyntaxKind.PropertyAssignment),
    ]);
    // Only calls that may define a tool are looked at as ts-morph nodes: MCP methods, and calls
    // of a name imported from an SDK that defines tools by call (every reader resolves the callee
    // through the imports and checks its module).
    const candidates = nodes.of(ts.SyntaxKind.CallExpression).filter((c) => {
      const callee = (c as ts.CallExpression).expression;
      return (
        (ts.isPropertyAccessExpression(callee) &&
          (MCP_SDK_METHODS.has(callee.name.text) || callee.name.text === LIST_TOOLS_METHOD)) ||
        imports.mayResolve(callee, definesToolsByCall)
      );
    });
    for (const call of wrapAll(sf, candidates) as CallExpression[]) {
      each(ctx, call, () => {
        if (readMcpCall(call, ctx) || readMcpListTools(call, ctx)) return;
        // The other SDKs are plain imported functions: resolve the callee once, each reader checks its module.
        const callee = imports.resolve(call.getExpression());
        if (!callee) return;
        if (readVercelCall(call, callee, ctx, keys) || readOpenAiAgentsCall(call, callee, ctx)) return;
        readLangChainCall(call, callee, ctx);
      });
    }
    for (const expr of wrapAll(sf, nodes.of(ts.SyntaxKind.NewExpression)) as NewExpression[])
      each(ctx, expr, () => readLangChainNew(expr, ctx));
    for (const cls of wrapAll(sf, nodes.of(ts.SyntaxKind.ClassDeclaration))) {
      each(ctx, cls, () => {
        if (Node.isClassDeclaration(cls) && cls.getExtends()) readLangChainClass(cls, ctx);
      });
    }
    const secrets = secretsOf(ctx, [
      ...nodes.of(ts.SyntaxKind.StringLiteral),
      ...nodes.of(ts.SyntaxKind.NoSubstitutionTemplateLiteral),
    ]);
    return { tools: ctx.tools, problems: ctx.problems, ...(secrets.length ? { secrets } : {}) };
  }
}

/** The file's literal secrets (AG007); a failure there costs the secrets, never the tools. */
function secretsOf(ctx: FileContext, literals: ts.Node[]): SecretLiteral[] {
  try {
    return secretLiterals(ctx.sf, literals, ctx.file, ctx.lines);
  } catch (e) {
    ctx.problem(
      ctx.sf,
      `Secret scan failed on this file: ${e instanceof Error ? e.message : String(e)}`,
      'tool-invalid',
      'error',
    );
    return [];
  }
}

/** Reads one definition site; a failure there is a problem on that site, and the file's other tools stay. */
function each(ctx: FileContext, node: Node, read: () => void): void {
  try {
    read();
  } catch (e) {
    ctx.problem(node, `Tool discovery failed here: ${e instanceof Error ? e.message : String(e)}`, 'tool-invalid', 'error');
  }
}
