import type { Range } from '../text/range';
import { parseJsonc } from './json/jsoncLocated';
import { booleanOf, stringOf, valueOf, type LocatedEntry, type LocatedValue } from './located';
import type { McpConfig, McpCredential, McpInputDecl, McpServerConfig } from './mcpConfigModel';
import type { DiscoveryProblem } from './model';
import { mcpConfigKind } from '../workspace/fileKinds';
import { classifyValue, isCredentialKey, looksLikeSecret, maskSecret } from './secrets';

export type { McpConfig, McpConfigKind, McpCredential, McpInputDecl, McpServerConfig } from './mcpConfigModel';

/** The MCP configuration files of SPEC §3, by path: the product's one classifier decides. */
export { mcpConfigKind } from '../workspace/fileKinds';
/**
 * Reads an MCP server configuration: each server's transport, command or URL, and every
 * credential-like value of `env`, `headers`, `args` and the URL, classified as a literal
 * (masked), an `${input:…}` / `${env:…}` reference, or empty. Never throws; JSON errors are
 * problems and what parses is still read.
 */
export function parseMcpConfig(path: string, text: string): { config: McpConfig; problems: DiscoveryProblem[] } {
  const kind = mcpConfigKind(path) ?? 'generic';
  const parsed = parseJsonc(path, text);
  const problems = [...parsed.problems];
  const config: McpConfig = { file: path, kind, servers: [], inputs: [] };
  const root = parsed.root;
  for (const key of ['servers', 'mcpServers']) {
    const servers = valueOf(root, key);
    if (!servers) continue;
    if (servers.kind !== 'object') {
      problems.push(problem(path, servers.range, `\`${key}\` must be an object of named servers.`, 'error'));
      continue;
    }
    for (const entry of servers.entries) {
      const server = readServer(entry, path, problems);
      if (server) config.servers.push(server);
    }
  }
  const inputs = valueOf(root, 'inputs');
  if (inputs?.kind === 'array') for (const item of inputs.items) pushInput(item, config.inputs);
  return { config, problems };
}

function readServer(entry: LocatedEntry, file: string, problems: DiscoveryProblem[]): McpServerConfig | undefined {
  const v = entry.value;
  const range: Range = { start: entry.keyRange.start, end: v.range.end };
  if (v.kind !== 'object') {
    problems.push(problem(file, v.range, `The server \`${entry.key}\` must be an object.`, 'error'));
    return undefined;
  }
  const credentials: McpCredential[] = [];
  const command = stringOf(v, 'command');
  const rawUrl = stringOf(v, 'url');
  const type = stringOf(v, 'type');
  const server: McpServerConfig = {
    name: entry.key,
    nameRange: entry.keyRange,
    range,
    transport: transportOf(type, command, rawUrl),
    credentials,
  };
  if (command !== undefined) server.command = command;
  const args = valueOf(v, 'args');
  if (args?.kind === 'array') server.args = readArgs(args.items, credentials);
  if (rawUrl !== undefined) server.url = readUrl(rawUrl, valueOf(v, 'url')!.range, credentials);
  const envFile = stringOf(v, 'envFile');
  if (envFile !== undefined) server.envFile = envFile;
  readMap(valueOf(v, 'env'), 'env', credentials);
  readMap(valueOf(v, 'headers'), 'headers', credentials);
  if (server.transport === 'unknown') {
    problems.push(
      problem(file, entry.keyRange, `The server \`${entry.key}\` has neither a \`command\` nor a \`url\`.`, 'warning'),
    );
  }
  return server;
}

/** `type` wins; else a `command` is stdio and a `url` is HTTP (SSE when its path ends in `/sse`). */
function transportOf(
  type: string | undefined,
  command: string | undefined,
  url: string | undefined,
): McpServerConfig['transport'] {
  if (type === 'stdio' || type === 'sse') return type;
  if (type === 'http' || type === 'streamable-http' || type === 'streamableHttp') return 'http';
  if (command !== undefined) return 'stdio';
  if (url !== undefined) return /\/sse\/?(\?|$)/.test(url) ? 'sse' : 'http';
  return 'unknown';
}

/** `env` and `headers`: credential-like keys, and any value shaped like a known secret. */
function readMap(map: LocatedValue | undefined, location: 'env' | 'headers', out: McpCredential[]): void {
  if (map?.kind !== 'object') return;
  for (const e of map.entries) {
    if (e.value.kind !== 'string') continue;
    if (!isCredentialKey(e.key) && !looksLikeSecret(e.value.value)) continue;
    out.push({ key: e.key, location, ...classifyValue(e.value.value), keyRange: e.keyRange, range: e.value.range });
  }
}

/** `--api-key sk-…`, `--token=…`, or a bare secret-shaped argument; those are masked in `args`. */
function readArgs(items: LocatedValue[], out: McpCredential[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'string') {
      args.push(item.kind === 'other' ? item.text : String((item as { value?: unknown }).value ?? ''));
      continue;
    }
    const prev = i > 0 ? items[i - 1] : undefined;
    const flagBefore =
      prev?.kind === 'string' && /^--?[A-Za-z]/.test(prev.value) && !prev.value.includes('=') ? prev.value : undefined;
    const inline = /^(--?[A-Za-z][\w-]*)=(.*)$/s.exec(item.value);
    let key: string | undefined;
    let value = item.value;
    if (inline && isCredentialKey(inline[1])) [key, value] = [inline[1], inline[2]];
    else if (flagBefore && isCredentialKey(flagBefore)) key = flagBefore;
    else if (looksLikeSecret(item.value)) key = `args[${i}]`;
    if (key === undefined) {
      args.push(item.value);
      continue;
    }
    const classified = classifyValue(value);
    out.push({ key, location: 'args', ...classified, keyRange: item.range, range: item.range });
    args.push(inline ? `${inline[1]}=${classified.maskedValue}` : classified.maskedValue);
  }
  return args;
}

/** Credential-like query parameters (`?api_key=…`) are reported and masked in the URL. */
function readUrl(url: string, range: Range, out: McpCredential[]): string {
  return url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep: string, key: string, value: string) => {
    if (!isCredentialKey(key) && !looksLikeSecret(decodeSafe(value))) return whole;
    const classified = classifyValue(decodeSafe(value));
    out.push({ key, location: 'url', ...classified, keyRange: range, range });
    return `${sep}${key}=${classified.valueKind === 'literal' ? maskSecret(decodeSafe(value)) : value}`;
  });
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function pushInput(item: LocatedValue, out: McpInputDecl[]): void {
  const id = valueOf(item, 'id');
  if (id?.kind !== 'string') return;
  const input: McpInputDecl = { id: id.value, range: item.range, idRange: id.range };
  const type = stringOf(item, 'type');
  const description = stringOf(item, 'description');
  const password = booleanOf(item, 'password');
  if (type !== undefined) input.type = type;
  if (description !== undefined) input.description = description;
  if (password !== undefined) input.password = password;
  out.push(input);
}

function problem(file: string, range: Range, message: string, severity: 'error' | 'warning'): DiscoveryProblem {
  return { file, range, message, severity, code: 'config-invalid' };
}
