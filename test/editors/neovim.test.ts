import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../..');
const BUNDLE = join(REPO, 'dist/server/server.js');
const CLIENT = join(__dirname, 'neovim-client.lua');

interface VimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  message: string;
  severity: number;
  source?: string;
  user_data?: { lsp?: { code?: string } };
}

interface ClientResult {
  diagnostics: VimDiagnostic[];
  timed_out: boolean;
  hover?: { kind: string; value: string } | null;
  error?: string;
  server_exit?: { code: number; signal: number };
}

function nvimVersion(): string {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'Neovim is not installed: this test drives a real non-VS Code LSP client. Install it with `apt-get install -y neovim` (Debian ships 0.7.2).',
    );
  }
  return r.stdout.split('\n')[0];
}

/** Runs Neovim headless with the Lua client on one file of `root`, returns what the client saw. */
function runNeovim(root: string, file: string, hover?: { line: number; character: number }): ClientResult {
  nvimVersion();
  const out = join(root, '.nvim-result.json');
  rmSync(out, { force: true });
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${CLIENT}`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AGENTGOV_SERVER_CMD: JSON.stringify([process.execPath, BUNDLE, '--stdio']),
      AGENTGOV_ROOT: root,
      AGENTGOV_FILE: join(root, file),
      AGENTGOV_HOVER: hover ? JSON.stringify(hover) : '',
      AGENTGOV_OUT: out,
      AGENTGOV_TIMEOUT_MS: '10000',
    },
  });
  if (!existsSync(out))
    throw new Error(`Neovim wrote no result (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as ClientResult;
  if (result.error) throw new Error(`The Lua client failed: ${result.error}\n${r.stderr}`);
  return result;
}

/** Neovim columns are byte offsets into the line. */
function byteCol(line: string, utf16: number): number {
  return Buffer.byteLength(line.slice(0, utf16));
}

let root: string;
beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: build it first with \`node scripts/build.mjs\`.`);
  root = mkdtempSync(join(tmpdir(), 'agentgov-nvim-'));
  cpSync(join(REPO, 'examples'), root, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Neovim 0.7 as the LSP client (stdio)', () => {
  it('is installed', () => {
    expect(nvimVersion()).toMatch(/^NVIM v0\.\d+/);
  });

  it('shows the parse error of a broken policy at its line and column, and hovers', () => {
    const text = `// Zürich 🔥 refunds
@id("broken")
permit (principal, action == Platform::Action::"create_refund", resource)
when { context.input.currency == "Zürich 🔥" && context.input.amount > };
`;
    writeFileSync(join(root, 'policies/broken.cedar'), text);
    const lines = text.split('\n');
    const errorLine = 3;
    const brace = lines[errorLine].lastIndexOf('}');
    const amount = lines[errorLine].indexOf('amount') + 2;

    const result = runNeovim(root, 'policies/broken.cedar', { line: errorLine, character: amount });
    expect(result.timed_out).toBe(false);
    // Cedar's diagnostic; the governance findings of the policy (AG009 here) are tested elsewhere.
    const cedar = result.diagnostics.filter((x) => !/^AG\d/.test(x.user_data?.lsp?.code ?? ''));
    expect(cedar).toHaveLength(1);
    const d = cedar[0];
    expect({ lnum: d.lnum, col: d.col, end_lnum: d.end_lnum, end_col: d.end_col }).toEqual({
      lnum: errorLine,
      col: byteCol(lines[errorLine], brace),
      end_lnum: errorLine,
      end_col: byteCol(lines[errorLine], brace + 1),
    });
    expect(d.severity).toBe(1);
    expect(d.source).toBe('agentgov');
    expect(d.message).toMatch(/^unexpected token `\}`\nHelp: expected/);
    expect(d.user_data?.lsp?.code).toBe('cedar-parse');
    expect(result.hover?.value).toContain('amount: Long');
  });

  it('shows a validation error with its "did you mean" help', () => {
    const text = `@id("typo")
permit (principal, action == Platform::Action::"create_refund", resource)
when { context.input.amout > 500 };
`;
    writeFileSync(join(root, 'policies/typo.cedar'), text);
    const line = text.split('\n')[2];
    const result = runNeovim(root, 'policies/typo.cedar');
    // Cedar's diagnostic; the governance findings of the policy (AG009 here) are tested elsewhere.
    const cedar = result.diagnostics.filter((x) => !/^AG\d/.test(x.user_data?.lsp?.code ?? ''));
    expect(cedar).toHaveLength(1);
    const d = cedar[0];
    expect([d.lnum, d.col, d.end_col]).toEqual([2, line.indexOf('context'), line.indexOf(' > ')]);
    expect(d.message).toMatch(/`input\.amout`.*not found\nHelp: did you mean `amount`\?/s);
  });
});
