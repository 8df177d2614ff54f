import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../..');
const CORE = join(REPO, 'server/src/core');
const CLIENT = join(REPO, 'client/src');
const PROTOCOL = join(REPO, 'server/src/protocol.ts');
const RULE_PACK = join(REPO, 'policies');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier of a file: imports, `export … from`, `import()`, `require()` and `import x = require()`. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

const withoutExt = (p: string) => p.replace(/\.(d\.ts|[cm]?[jt]sx?)$/, '');

/** `file: specifier → target` for each relative import of the files under `dir` that resolves outside every allowed path. */
function relativeImportsOutside(dir: string, allowed: string[]): string[] {
  const inside = (target: string) =>
    allowed.some((a) => target === a || target.startsWith(a + sep) || withoutExt(target) === withoutExt(a));
  return sources(dir).flatMap((file) =>
    specifiers(file)
      .filter((s) => /^\.\.?(\/|$)/.test(s))
      .map((s) => ({ s, target: resolve(dirname(file), s) }))
      .filter(({ target }) => !inside(target))
      .map(({ s, target }) => `${relative(REPO, file)}: ${s} → ${relative(REPO, target)}`),
  );
}

describe('architecture', () => {
  it('the analysis core imports nothing from LSP or VS Code', () => {
    const offenders = sources(CORE).filter((f) =>
      /from ['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]|require\(['"]vscode/.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('the analysis core imports nothing outside server/src/core (not the LSP layer, the CLI or the protocol)', () => {
    // policies/ is the governance rule pack: Cedar text the core bundles, not code.
    expect(relativeImportsOutside(CORE, [CORE, RULE_PACK])).toEqual([]);
  });

  it('the client imports nothing of the server but server/src/protocol.ts', () => {
    expect(relativeImportsOutside(CLIENT, [CLIENT, PROTOCOL])).toEqual([]);
  });

  it('the import scan sees every form of import', () => {
    const probe = join(CORE, 'probe.ts');
    const found = ts
      .preProcessFile(
        "import a from './a';\nimport type { B } from '../b';\nexport * from './c';\nconst d = import('./d');\nconst e = require('./e');\nimport f = require('./f');\ntype G = typeof import('./g');\n",
        true,
        true,
      )
      .importedFiles.map((f) => f.fileName);
    expect(found).toEqual(['./a', '../b', './c', './d', './e', './f', './g']);
    expect(resolve(dirname(probe), '../protocol')).toBe(withoutExt(PROTOCOL));
  });

  it('the server never writes to stdout (it carries the protocol)', () => {
    const server = join(__dirname, '../../server/src');
    const offenders = sources(server).filter(
      (f) => !f.includes('/cli/') && /(?<![\w.])console\.(log|info|debug)\(|process\.stdout\.write/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
