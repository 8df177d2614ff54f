import { Node, SyntaxKind } from 'ts-morph';
import { LineIndex } from '../../text/lineIndex';
import type { DiscoveryResult } from '../model';
import { FileContext } from './context';
import { ImportTable } from './imports';
import { readLangChainCall, readLangChainClass, readLangChainNew } from './langchain';
import { readMcpListTools } from './mcpLowLevel';
import { readMcpCall } from './mcpSdk';
import { readOpenAiAgentsCall } from './openaiAgents';
import { parseSourceFile, releaseSourceFile, syntaxProblems } from './project';
import { mayDefineTools } from './sdkModules';
import { KeyIndex, readVercelCall } from './vercelAi';

/**
 * Finds the tool definitions of one TypeScript file, statically: the file is parsed on its
 * own (no type check, no module resolution) and never executed. Syntax errors are reported
 * and whatever still parses is read.
 */
export function discoverTypeScript(file: string, text: string): DiscoveryResult {
  if (!mayDefineTools(text)) return { tools: [], problems: [] };
  const sf = parseSourceFile(file, text);
  try {
    const lines = new LineIndex(text);
    const imports = new ImportTable(sf);
    const ctx = new FileContext(file, sf, lines, imports);
    ctx.problems.push(...syntaxProblems(sf, file, lines));
    if (imports.isEmpty) return { tools: [], problems: ctx.problems };

    const keys = new KeyIndex(sf);
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (readMcpCall(call, ctx) || readMcpListTools(call, ctx)) continue;
      // The other SDKs are plain imported functions: resolve the callee once, each reader checks its module.
      const callee = imports.resolve(call.getExpression());
      if (!callee) continue;
      if (readVercelCall(call, callee, ctx, keys) || readOpenAiAgentsCall(call, callee, ctx)) continue;
      readLangChainCall(call, callee, ctx);
    }
    for (const expr of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) readLangChainNew(expr, ctx);
    for (const cls of sf.getDescendantsOfKind(SyntaxKind.ClassDeclaration)) {
      if (Node.isClassDeclaration(cls) && cls.getExtends()) readLangChainClass(cls, ctx);
    }
    return { tools: ctx.tools, problems: ctx.problems };
  } finally {
    releaseSourceFile(sf);
  }
}
