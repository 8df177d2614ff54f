import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(__dirname, '../../server/src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('architecture', () => {
  it('the analysis core imports nothing from LSP or VS Code', () => {
    const offenders = sources(CORE).filter((f) => /from ['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]|require\(['"]vscode/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the server never writes to stdout (it carries the protocol)', () => {
    const server = join(__dirname, '../../server/src');
    const offenders = sources(server).filter((f) => !f.includes('/cli/') && /(?<![\w.])console\.(log|info|debug)\(|process\.stdout\.write/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
