import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverTypeScript } from '../../../server/src/core/tools/typescript/discover';
import { parseSourceFile } from '../../../server/src/core/tools/typescript/project';

/*
 * Tool files that once held the editor's thread for seconds (found by the server fuzzer: a 1 MB
 * line inserted into ordinary tool files). Each cost came from wrapping every one of a large
 * list's nodes in a ts-morph object, once or per lookup, or from parsing the file a dozen times.
 * The tests count that work instead of timing it: wraps of compiler nodes, and parses.
 */

const fixture = (rel: string) => readFileSync(join(__dirname, '../../fixtures/tools', rel), 'utf8');
const MANY = 100_000;
const names = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`).join(', ');

/** Counts the ts-morph nodes made for compiler nodes while `f` runs (every ts-morph wrap goes through its factory). */
function wrapsDuring<T>(f: () => T): { value: T; wraps: number } {
  const factory = Object.getPrototypeOf(
    (parseSourceFile('/a.ts', '') as unknown as { _context: { compilerFactory: object } })._context.compilerFactory,
  ) as {
    getNodeFromCompilerNode: (...args: unknown[]) => unknown;
  };
  const original = factory.getNodeFromCompilerNode;
  let wraps = 0;
  factory.getNodeFromCompilerNode = function (this: unknown, ...args: unknown[]) {
    wraps++;
    return original.apply(this, args);
  };
  try {
    return { value: f(), wraps };
  } finally {
    factory.getNodeFromCompilerNode = original;
  }
}

const toolNames = (text: string, file = '/w/t.ts') => discoverTypeScript(file, text).tools.map((t) => t.name);

describe('TypeScript tool files with one huge list in them', () => {
  it(`a tool's config object with ${MANY.toLocaleString('en-US')} shorthand properties: its keys are looked up without wrapping them all (was 2 s per file)`, () => {
    const text = fixture('vercel-ai/agent.ts').replace(
      "description: 'Get the weather in a location',",
      `${names(MANY)}, description: 'Get the weather in a location',`,
    );
    const { value, wraps } = wrapsDuring(() => toolNames(text));
    expect(value).toContain('weather');
    expect(wraps).toBeLessThan(MANY / 10);
  });

  it(`an import of ${MANY.toLocaleString('en-US')} names: imports and name lookups read the compiler's nodes (was 2 s)`, () => {
    const text = fixture('mcp-register/server.ts').replace(
      "import { z } from 'zod';",
      `import { z } from 'zod';\nimport { ${names(MANY)} } from 'lots';`,
    );
    const { value, wraps } = wrapsDuring(() => toolNames(text));
    expect(value.sort()).toEqual(['create_refund', 'get_invoice', 'list_invoices']);
    expect(wraps).toBeLessThan(MANY / 10);
  });

  it(`a class of ${MANY.toLocaleString('en-US')} members holding an McpServer: \`this.server\` is found without wrapping every member per call (was 3.4 s)`, () => {
    const text = fixture('mcp-typed-receiver/register.ts').replace(
      "  private readonly server = new sdk.McpServer({ name: 'deployer', version: '1.0.0' });",
      `  ${Array.from({ length: MANY }, (_, i) => `m${i} = 1;`).join(' ')}\n  private readonly server = new sdk.McpServer({ name: 'deployer', version: '1.0.0' });`,
    );
    const { value, wraps } = wrapsDuring(() => toolNames(text));
    expect(value).toContain('deploy_release');
    expect(value).toContain('rollback');
    expect(wraps).toBeLessThan(MANY / 10);
  });

  it(`a raw input shape of ${MANY.toLocaleString('en-US')} fields: read up to the field limit, not wrapped whole (was 3.4 s)`, () => {
    const text = fixture('mcp-register/server.ts').replace(
      '{ invoiceId: z.string() }',
      `{ invoiceId: z.string(), ${Array.from({ length: MANY }, (_, i) => `f${i}: z.string()`).join(', ')} }`,
    );
    const { value, wraps } = wrapsDuring(() => discoverTypeScript('/w/t.ts', text));
    expect(value.tools.map((t) => t.name)).toContain('get_invoice');
    expect(value.problems.map((p) => p.message)).toContainEqual(expect.stringContaining('only the first 1000 are read'));
    expect(wraps).toBeLessThan(MANY / 2);
  });

  it(`a JSON-schema literal with an array of ${MANY.toLocaleString('en-US')} values: read up to 10,000 values, and the rest is said to be unread (was 5 s)`, () => {
    const text = fixture('vercel-ai/agent.ts').replace(
      "passengers: { type: 'integer' },",
      `passengers: { type: 'integer', enum: [${Array.from({ length: MANY }, (_, i) => i).join(', ')}] },`,
    );
    const { value, wraps } = wrapsDuring(() => toolNames(text));
    expect(value).toContain('searchFlights');
    expect(wraps).toBeLessThan(MANY / 2);
  });

  it(`${MANY.toLocaleString('en-US')} objects holding tools by key: the key index reads the compiler's nodes`, () => {
    const text = `${fixture('vercel-ai/agent.ts')}\nconst many = { ${Array.from({ length: MANY }, (_, i) => `a${i}: x`).join(', ')} };\n`;
    const { value, wraps } = wrapsDuring(() => toolNames(text));
    expect(value).toContain('weather');
    expect(wraps).toBeLessThan(MANY / 10);
  });
});

describe('TypeScript tool files the parser cannot nest', () => {
  const realCreate = Project.prototype.createSourceFile;
  afterEach(() => {
    Project.prototype.createSourceFile = realCreate;
  });

  it('10,000 nested brackets on one line: found by their depth and skipped with one more parse, not a bisection of a dozen (was 5 s on a 1 MB file)', () => {
    const base = fixture('mcp-register/server.ts');
    const text = `${base}\nconst deep = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n${'// filler\n'.repeat(200)}`;
    let parses = 0;
    Project.prototype.createSourceFile = function (this: Project, ...args: Parameters<Project['createSourceFile']>) {
      parses++;
      return realCreate.apply(this, args);
    };
    const result = discoverTypeScript('/w/t.ts', text);
    expect(result.tools.map((t) => t.name).sort()).toEqual(['create_refund', 'get_invoice', 'list_invoices']);
    const line = text.split('\n').findIndex((l) => l.startsWith('const deep'));
    expect(result.problems[0]).toMatchObject({ message: expect.stringMatching(/nested too deeply/), range: { start: { line } } });
    expect(parses).toBe(2);
  });
});

describe('TypeScript imports the parser rejects', () => {
  it('`import { x } from 42` keeps the file\'s tools (was: "Tool discovery failed on this file", every tool lost)', () => {
    const text = fixture('mcp-register/server.ts').replace(
      "import { z } from 'zod';",
      "import { z } from 'zod';\nimport { tool } from 42;",
    );
    const result = discoverTypeScript('/w/t.ts', text);
    expect(result.tools.map((t) => t.name).sort()).toEqual(['create_refund', 'get_invoice', 'list_invoices']);
  });
});
