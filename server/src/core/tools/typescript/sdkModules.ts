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

/**
 * OpenAI Agents SDK for JavaScript: `@openai/agents` and any subpath export of it (`tool` is also
 * exported by `@openai/agents/realtime`), and the packages it is split into
 * (`@openai/agents/realtime` re-exports `@openai/agents-realtime`). Only an export named `tool`
 * defines a tool (the reader checks the name), so the helpers of `/utils` and the like define nothing.
 */
export function isOpenAiAgentsModule(m: string): boolean {
  return /^@openai\/agents(\/.+|-core|-openai|-realtime|-extensions)?$/.test(m);
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
