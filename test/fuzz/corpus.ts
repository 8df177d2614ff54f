import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Syntax } from './mutate';

const REPO = join(__dirname, '../..');

/** A workspace file the fuzzers mutate: where it goes in the workspace, and its text. */
export interface Seed {
  rel: string;
  text: string;
  syntax: Syntax;
}

/**
 * Literal secrets the fixtures hold: none may ever appear whole in a diagnostic, a hover, a
 * log line or the CLI's output (they are shown masked).
 */
export const SECRETS = ['ghp_9fK2mQ7xW4vB8nL1cR6tY3hJ5dS0aZ2eP4uI', 'sk_live_51HqLmV8dK3nQ7rT2wX9yZ4bC6fG1hJ5kM0pS'];

const SECRET_FILES: Record<string, string> = {
  '.mcp.json': JSON.stringify(
    {
      mcpServers: {
        github: { command: 'npx', args: ['-y', 'github-mcp'], env: { GITHUB_TOKEN: SECRETS[0] } },
        stripe: { type: 'http', url: 'https://mcp.stripe.example/mcp', headers: { Authorization: `Bearer ${SECRETS[1]}` } },
      },
    },
    null,
    2,
  ),
  'agents/leaky.agent.yaml': [
    'name: leaky',
    'principal: Platform::Agent::"leaky"',
    'identity:',
    '  type: workload',
    '  id: spiffe://acme.example/agents/leaky',
    'credentials:',
    '  - name: stripe',
    '    type: static',
    `    value: ${SECRETS[1]}`,
    'tools:',
    '  - payments/get_invoice',
    '',
  ].join('\n'),
};

/**
 * `agentgov-ignore` comments in every syntax that allows them (issue 9): valid, without a reason,
 * naming no rule, suppressing nothing, trailing, above annotations, and look-alikes inside
 * strings, template literals and regular expressions, so the mutators cut and splice them.
 */
const SUPPRESSION_FILES: Record<string, string> = {
  'policies/suppressed.cedar': [
    '// agentgov-ignore AG008, AG009: read-only status page, any caller is fine',
    '@id("status-read")',
    '@advice("// agentgov-ignore AG010: inside a string, not a comment")',
    'permit (principal, action == Platform::Action::"read_logs", resource);',
    '',
    '// agentgov-ignore AG008',
    'permit (principal == Platform::Agent::"deploy-bot", action == Platform::Action::"read_logs", resource); // agentgov-ignore AG010: trailing',
    '',
    '// agentgov-ignore: no rule named',
    '// agentgov-ignore AG011: suppresses nothing',
    '',
  ].join('\n'),
  'agents/suppressed.agent.yaml': [
    '# agentgov-ignore AG012: calls are logged by the MCP gateway',
    'name: suppressed',
    'principal: Platform::Agent::"suppressed" # agentgov-ignore AG005',
    'description: "# agentgov-ignore AG004: inside a quoted scalar"',
    'identity:',
    '  # agentgov-ignore AG004 AG999: local prototype',
    '  type: human',
    '  id: jane@acme.example',
    'notes: |',
    '  # agentgov-ignore AG006: block scalar text',
    'tools:',
    '  # agentgov-ignore AG003, ag011: ships next release',
    '  - ci/rollback_service',
    '',
  ].join('\n'),
  'tools/suppressed.tools.json': [
    '{',
    '  "server": "ci",',
    '  "tools": [',
    '    // agentgov-ignore AG001, AG002: runbook tool, never called by an agent',
    '    { "name": "rollback_service", "description": "Roll back // agentgov-ignore AG013: in a string" },',
    '    { "name": "purge_cache", "annotations": { "readOnlyHint": true } }, // agentgov-ignore AG013',
    '    /* agentgov-ignore AG001: block comments are not read */',
    '  ],',
    '}',
    '',
  ].join('\n'),
  'tools/suppressed/agent.ts': [
    "import { tool } from 'ai';",
    "import { z } from 'zod';",
    "const pattern = /[// agentgov-ignore AG001: regex class]'/g;",
    'const half = pattern.lastIndex / 2; // agentgov-ignore AG007: after a division',
    'export const tools = {',
    '  // agentgov-ignore AG001, AG002: local debugging tool, never deployed',
    "  debug_echo: tool({ description: `Echo ${'}'} // agentgov-ignore AG013 ${`${half}`}`, inputSchema: z.object({ text: z.string() }), execute: async () => 1 }),",
    '  // agentgov-ignore AG011',
    "  wipe_drafts: tool({ description: 'Delete drafts', inputSchema: z.object({}), execute: async () => 2 }),",
    '};',
    '',
  ].join('\n'),
};

/**
 * A workspace folder's governance configuration and one of its own rules (issue 9): rules
 * re-levelled and off, an option, risk words, and a rule with placeholders, `@at` and frameworks.
 */
const CONFIG_FILES: Record<string, string> = {
  '.agentgov/config.yaml': [
    '# The governance configuration of this workspace folder.',
    'rules:',
    '  AG012: error # audit is mandatory here',
    '  AG013: off',
    '  ACME001: warning',
    'maxCredentialTtl: 30m',
    'risk:',
    '  highRiskKeywords: [wire, approve]',
    '  readOnlyVerbs: [query]',
    'rulesPath: .agentgov/rules',
    '',
  ].join('\n'),
  '.agentgov/rules/acme.cedar': [
    '// Acme: credentials of production agents live at most 15 minutes.',
    '@id("ACME001")',
    '@name("short-credentials")',
    '@severity("error")',
    '@at("ttl")',
    '@message("Credential \\"{name}\\" of agent \\"{agent}\\" lives {ttlText}: Acme allows 15m.")',
    '@help("Lower its `ttl` to 15m.")',
    '@frameworks("OWASP-NHI-2025:NHI7")',
    '@docs("https://acme.example/rules/ACME001")',
    'forbid (principal is AgentGov::Credential, action == AgentGov::Action::"evaluate", resource)',
    'when { principal.hasTtl && principal.ttlSeconds > 900 };',
    '',
    '@id("ACME002")',
    '@message("Tool \\"{name}\\" is high-risk ({riskReason}).")',
    'forbid (principal is AgentGov::Tool, action == AgentGov::Action::"evaluate", resource)',
    'when { principal.risk == "high" && !principal.governed };',
    '',
  ].join('\n'),
};

/**
 * Issue 10's inputs: a request test file with every kind of value a request holds (integers
 * beyond 2^53 that JSON.parse would round, `__extn` values, inline entities, inline Cedar), and
 * names a review page must show as text (the access matrix's HTML, the webview), in a tool list,
 * a binding and a policy that decide pairs.
 */
const SIMULATION_FILES: Record<string, string> = {
  'tests/values.cedartests.json': readFileSync(join(REPO, 'test/fixtures/requestTests/values.cedartests.json'), 'utf8'),
  'tools/hostile.tools.json': JSON.stringify(
    {
      server: 'ev"il<b>',
      tools: [
        { name: '<img src=x onerror=alert(1)>', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } },
        { name: '</td><script>alert(2)</script>', inputSchema: { type: 'object', properties: { n: { type: 'integer' } } } },
      ],
    },
    null,
    2,
  ),
  'agents/hostile.agent.yaml': [
    'name: "<script>alert(3)</script>"',
    'principal: Platform::Agent::"<svg onload=alert(4)>"',
    'identity:',
    '  type: workload',
    '  id: "spiffe://x/<iframe src=javascript:alert(5)>"',
    'credentials:',
    '  - name: "<b>key</b>"',
    '    type: jit-token',
    '    ttl: 15m',
    'tools:',
    '  - "ev\\"il<b>/<img src=x onerror=alert(1)>"',
    '  - "ev\\"il<b>/</td><script>alert(2)</script>"',
    '  - "<marquee>gone</marquee>"',
    'audit:',
    '  sink: "https://audit.example/<style>body{display:none}</style>"',
    '',
  ].join('\n'),
  'policies/hostile.cedar': [
    '@id("</code><script>alert(6)</script>")',
    'permit (principal == Platform::Agent::"<svg onload=alert(4)>", action, resource)',
    'when { context.input.x == "</code><img src=y onerror=alert(7)>" || context.input.n > 9223372036854775807 };',
    '',
  ].join('\n'),
};

function syntaxOf(rel: string): Syntax | undefined {
  if (/\.cedar(schema)?$/.test(rel)) return 'cedar';
  if (/\.ya?ml$/.test(rel)) return 'yaml';
  if (/\.jsonc?$/.test(rel)) return 'json';
  if (/\.tsx?$/.test(rel)) return 'ts';
  return undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? (n === 'node_modules' ? [] : walk(p)) : [p];
  });
}

/**
 * Every kind of file the product reads: `examples/` (policies, schema, entities, bindings, MCP
 * config, tool code and lists), the tool fixtures of every SDK (under `tools/fixtures/`),
 * files with literal secrets, files with suppression comments, and the governance
 * configuration with a workspace rule file, and issue 10's request tests and hostile names.
 */
export function seeds(): Seed[] {
  const out: Seed[] = [];
  const add = (rel: string, text: string) => {
    const syntax = syntaxOf(rel);
    if (syntax) out.push({ rel, text, syntax });
  };
  const examples = join(REPO, 'examples');
  for (const p of walk(examples)) add(relative(examples, p), readFileSync(p, 'utf8'));
  const fixtures = join(REPO, 'test/fixtures/tools');
  for (const p of walk(fixtures)) add(`tools/fixtures/${relative(fixtures, p)}`, readFileSync(p, 'utf8'));
  for (const [rel, text] of Object.entries(SECRET_FILES)) add(rel, text);
  for (const [rel, text] of Object.entries(SUPPRESSION_FILES)) add(rel, text);
  for (const [rel, text] of Object.entries(SIMULATION_FILES)) add(rel, text);
  // `examples/` may hold a configuration of its own: the first of a path wins.
  for (const [rel, text] of Object.entries(CONFIG_FILES)) if (!out.some((s) => s.rel === rel)) add(rel, text);
  return out;
}

/** The files a fuzzed workspace starts from (the seeds outside `examples/`, which is copied). */
export function extraFiles(): Record<string, string> {
  const examples = new Set(walk(join(REPO, 'examples')).map((p) => relative(join(REPO, 'examples'), p)));
  return Object.fromEntries(
    seeds()
      .filter((s) => !examples.has(s.rel))
      .map((s) => [s.rel, s.text]),
  );
}

/** Whether some text holds a literal secret whole. */
export function leakedSecret(text: string): string | undefined {
  return SECRETS.find((s) => text.includes(s));
}

/** A seed of a kind chosen evenly first (there are many more tool fixtures than policies). */
export function pickSeed(r: () => number, all: Seed[]): Seed {
  const kinds = [...new Set(all.map((s) => s.syntax))];
  const kind = kinds[Math.floor(r() * kinds.length)];
  const of = all.filter((s) => s.syntax === kind);
  return of[Math.floor(r() * of.length)];
}
