// Lint with type information: unhandled promises, and the architecture rules the code relies on.
import { dirname, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/**
 * `boundaries/relative-imports-within`: a relative import (import, export … from, import(),
 * require(), `import('…')` types) must resolve inside one of the `allow` paths (folders, or files
 * given with their extension, relative to the repository root). Package imports are left to
 * no-restricted-imports. test/core/architecture.test.ts checks the same without ESLint.
 */
const boundaries = {
  rules: {
    'relative-imports-within': {
      meta: {
        type: 'problem',
        docs: { description: 'Relative imports must stay inside the allowed folders' },
        schema: [
          {
            type: 'object',
            properties: { allow: { type: 'array', items: { type: 'string' }, minItems: 1 }, message: { type: 'string' } },
            required: ['allow'],
            additionalProperties: false,
          },
        ],
        messages: { outside: '`{{spec}}` resolves to {{target}}, outside {{allowed}}. {{message}}' },
      },
      create(context) {
        const { allow, message = '' } = context.options[0];
        const allowed = allow.map((p) => resolve(root, p));
        const withoutExt = (p) => p.replace(/\.(d\.ts|[cm]?[jt]sx?)$/, '');
        const inside = (target) =>
          allowed.some((a) => target === a || target.startsWith(a + sep) || withoutExt(target) === withoutExt(a));
        const check = (node) => {
          if (!node || node.type !== 'Literal' || typeof node.value !== 'string' || !/^\.\.?(\/|$)/.test(node.value)) return;
          const target = resolve(dirname(context.filename), node.value);
          if (inside(target)) return;
          context.report({
            node,
            messageId: 'outside',
            data: { spec: node.value, target: relative(root, target) || '.', allowed: allow.join(', '), message },
          });
        };
        return {
          ImportDeclaration: (n) => check(n.source),
          ExportAllDeclaration: (n) => check(n.source),
          ExportNamedDeclaration: (n) => check(n.source),
          ImportExpression: (n) => check(n.source),
          TSExternalModuleReference: (n) => check(n.expression),
          TSImportType: (n) => check(n.argument?.type === 'TSLiteralType' ? n.argument.literal : (n.source ?? n.argument)),
          CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n.arguments[0]),
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.cache/**',
      'test-output/**',
      'test/fixtures/**',
      'examples/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { boundaries },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The analysis core is shared by the server, the CLI and the tests: no editor or protocol imports.
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'],
              message: 'server/src/core must not depend on LSP or VS Code.',
            },
          ],
        },
      ],
      // Nor on the LSP layer, the CLI or the custom protocol messages (server/src/protocol.ts).
      'boundaries/relative-imports-within': [
        'error',
        {
          // policies/: the governance rule pack, Cedar text the core bundles.
          allow: ['server/src/core', 'policies'],
          message: 'server/src/core must not depend on the LSP layer, the CLI or the protocol.',
        },
      ],
    },
  },
  {
    // The client talks to the server over the protocol only; it never bundles the analysis core.
    files: ['client/src/**/*.ts'],
    rules: {
      'boundaries/relative-imports-within': [
        'error',
        {
          allow: ['client/src', 'server/src/protocol.ts'],
          message: 'The client may import only server/src/protocol.ts from the server.',
        },
      ],
    },
  },
  {
    // stdout carries the protocol in the server: log through the connection.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
