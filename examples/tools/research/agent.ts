// @ts-nocheck: the demo workspace ships without node_modules, so its SDK imports do not resolve.
// The research agent, written with the OpenAI Agents SDK: it searches the web and reads pages.
import { Agent, tool } from '@openai/agents';
import { z } from 'zod';
import { fetchReadable, webSearch } from './search-client';

const searchWeb = tool({
  name: 'search_web',
  description: 'Search the web and return the top results',
  parameters: z.object({ query: z.string(), maxResults: z.number().int().max(10) }),
  execute: async ({ query, maxResults }) => webSearch(query, maxResults),
});

// AG001: no Cedar policy names fetch_page, so whether an agent may call it is left to defaults;
// search_web above is governed by policies/research.cedar.
const fetchPage = tool({
  name: 'fetch_page',
  description: 'Fetch a web page and return its readable text',
  parameters: z.object({ url: z.string().url() }),
  execute: async ({ url }) => fetchReadable(url),
});

export const researcher = new Agent({
  name: 'research-agent',
  instructions: 'Answer market questions with sources.',
  tools: [searchWeb, fetchPage],
});
