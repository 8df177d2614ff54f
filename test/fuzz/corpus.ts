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
 * config, tool code and lists), the tool fixtures of every SDK (under `tools/fixtures/`), and
 * files with literal secrets.
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
