/** Module specifiers of the SDKs whose tool definitions are recognised. */

/** MCP TypeScript SDK (`@modelcontextprotocol/sdk/server/mcp.js`, `…/server/index.js`, the split v2 package). */
export function isMcpModule(m: string): boolean {
  return /^@modelcontextprotocol\/(sdk\/server|server)(\/|$)/.test(m) || m === '@modelcontextprotocol/sdk';
}

/** Vercel AI SDK; `tool` and `jsonSchema` are re-exported from provider-utils. */
export function isVercelAiModule(m: string): boolean {
  return m === 'ai' || m === '@ai-sdk/provider-utils';
}

/** LangChain.js tool helpers. */
export function isLangChainModule(m: string): boolean {
  return m === '@langchain/core/tools' || m === 'langchain/tools' || m === 'langchain';
}

/** OpenAI Agents SDK for JavaScript. */
export function isOpenAiAgentsModule(m: string): boolean {
  return m === '@openai/agents' || m === '@openai/agents-core' || m === '@openai/agents-openai';
}

/** Modules whose functions define tools when called (`tool()` of each SDK); MCP defines them by methods. */
export function definesToolsByCall(m: string): boolean {
  return isVercelAiModule(m) || isOpenAiAgentsModule(m) || isLangChainModule(m);
}

/** zod v3 and v4 (and its mini build). */
export function isZodModule(m: string): boolean {
  return /^zod(\/(v3|v4|mini|v4-mini|v4\/mini))?$/.test(m);
}

/**
 * Cheap text test run before parsing: a file that names none of the SDKs cannot define a
 * tool, and most files of a workspace are like that.
 */
export function mayDefineTools(text: string): boolean {
  return /@modelcontextprotocol\/|['"]ai['"]|['"]@ai-sdk\/provider-utils['"]|langchain|@openai\/agents/.test(text);
}
