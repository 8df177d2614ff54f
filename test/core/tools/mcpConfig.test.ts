import { describe, expect, it } from 'vitest';
import { mcpConfigKind, parseMcpConfig } from '../../../server/src/core/tools';
import { fixture, rangeOf } from './fixtures';

const SECRETS = [
  'sk_live_51HfakeFAKEfake0000000000000000aa',
  'sk_live_51HfakeFAKEfake1111111111111111bb',
  'abcd1234efgh5678ijkl',
  'hunter2hunter2',
  'xoxb-1234567890-abcdefghijkl',
];

function parse(rel: string) {
  const f = fixture(rel);
  return { ...parseMcpConfig(f.path, f.text), text: f.text };
}

describe('MCP server configs', () => {
  it('knows the config files by path', () => {
    expect(mcpConfigKind('/ws/.vscode/mcp.json')).toBe('vscode');
    expect(mcpConfigKind('C:\\ws\\.vscode\\mcp.json')).toBe('vscode');
    expect(mcpConfigKind('/ws/.mcp.json')).toBe('claude-code');
    expect(mcpConfigKind('/ws/mcp.json')).toBe('generic');
    expect(mcpConfigKind('/home/me/claude_desktop_config.json')).toBe('claude-desktop');
    expect(mcpConfigKind('/ws/my-mcp.json')).toBeUndefined();
  });

  it('never puts a full secret anywhere in its output', () => {
    for (const rel of ['mcp-config/.vscode/mcp.json', 'mcp-config/.mcp.json', 'mcp-config/claude/claude_desktop_config.json']) {
      const { config, problems } = parse(rel);
      const json = JSON.stringify({ config, problems });
      for (const secret of SECRETS) expect(json).not.toContain(secret);
    }
  });

  describe('.vscode/mcp.json', () => {
    const { config, problems, text } = parse('mcp-config/.vscode/mcp.json');
    const server = (name: string) => config.servers.find((s) => s.name === name)!;

    it('lists servers with transport, command and url', () => {
      expect(config.kind).toBe('vscode');
      expect(config.servers.map((s) => [s.name, s.transport])).toEqual([
        ['github', 'http'],
        ['payments', 'stdio'],
        ['events', 'sse'],
        ['broken', 'unknown'],
      ]);
      expect(server('payments').command).toBe('npx');
      expect(server('github').nameRange).toEqual(rangeOf(text, '"github"'));
    });

    it('reads declared inputs', () => {
      expect(config.inputs).toEqual([
        expect.objectContaining({
          id: 'github-token',
          type: 'promptString',
          password: true,
          idRange: rangeOf(text, '"github-token"'),
        }),
      ]);
    });

    it('an input reference in a header is a reference, with its id', () => {
      expect(server('github').credentials).toEqual([
        expect.objectContaining({
          key: 'Authorization',
          location: 'headers',
          valueKind: 'input-ref',
          refName: 'github-token',
          range: rangeOf(text, '"Bearer ${input:github-token}"'),
        }),
      ]);
    });

    it('env: literal secrets masked, env refs, empty values; non-credential keys left out', () => {
      const creds = server('payments').credentials.filter((c) => c.location === 'env');
      expect(creds.map((c) => [c.key, c.valueKind, c.maskedValue, c.refName])).toEqual([
        ['STRIPE_SECRET_KEY', 'literal', 'sk_l…(41 chars)', undefined],
        ['DB_PASSWORD', 'env-ref', '${env:DB_PASSWORD}', 'DB_PASSWORD'],
        ['EMPTY_TOKEN', 'empty', '', undefined],
      ]);
      expect(creds[0].keyRange).toEqual(rangeOf(text, '"STRIPE_SECRET_KEY"'));
      expect(creds[0].range).toEqual(rangeOf(text, '"sk_live_51HfakeFAKEfake1111111111111111bb"'));
    });

    it('a secret after a credential flag in args is reported and masked in args', () => {
      const s = server('payments');
      expect(s.args).toEqual(['-y', '@acme/payments-mcp', '--api-key', 'sk_l…(41 chars)']);
      expect(s.credentials.find((c) => c.location === 'args')).toMatchObject({ key: '--api-key', valueKind: 'literal' });
    });

    it('a secret in the URL query is reported and masked in url', () => {
      const s = server('events');
      expect(s.url).toBe('https://events.example.com/sse?api_key=abcd…(20 chars)');
      expect(s.credentials).toEqual([expect.objectContaining({ key: 'api_key', location: 'url', valueKind: 'literal' })]);
    });

    it('a server with neither command nor url is a warning on its name', () => {
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'config-invalid', range: rangeOf(text, '"broken"') }),
      ]);
    });
  });

  it('.mcp.json (JSONC): ${VAR} references and a password inside a connection URL', () => {
    const { config, problems } = parse('mcp-config/.mcp.json');
    expect(problems).toEqual([]);
    expect(config.servers.map((s) => [s.name, s.transport])).toEqual([
      ['linear', 'sse'],
      ['db', 'stdio'],
    ]);
    expect(config.servers[0].credentials).toEqual([
      expect.objectContaining({ key: 'X-Api-Key', valueKind: 'env-ref', refName: 'LINEAR_API_KEY' }),
    ]);
    expect(config.servers[1].credentials.map((c) => [c.key, c.valueKind, c.maskedValue])).toEqual([
      ['DATABASE_URL', 'literal', `post…(${'postgres://app:hunter2hunter2@db:5432/app'.length} chars)`],
      ['PGPASSWORD', 'literal', 'hu…(14 chars)'],
    ]);
  });

  it('claude_desktop_config.json: a Slack bot token by its key and its shape', () => {
    const { config } = parse('mcp-config/claude/claude_desktop_config.json');
    expect(config.kind).toBe('claude-desktop');
    expect(config.servers[0].credentials.map((c) => [c.key, c.valueKind])).toEqual([['SLACK_BOT_TOKEN', 'literal']]);
  });

  it('broken JSON is a problem, never a throw', () => {
    const { config, problems } = parseMcpConfig('/ws/.mcp.json', '{ "mcpServers": { "x": { "command": "a" ');
    expect(config.servers.map((s) => s.name)).toEqual(['x']);
    expect(problems[0]).toMatchObject({ code: 'json-syntax', severity: 'error' });
    expect(parseMcpConfig('/ws/.mcp.json', '{"mcpServers": []}').problems[0]).toMatchObject({ code: 'config-invalid' });
    expect(parseMcpConfig('/ws/.mcp.json', '').config.servers).toEqual([]);
  });
});
