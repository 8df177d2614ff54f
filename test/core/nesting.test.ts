import { describe, expect, it } from 'vitest';
import { codeTokens } from '../../server/src/core/cedar/lexer';
import { jsonDepth, POLICY_DEPTH_LIMIT, policyDepth } from '../../server/src/core/cedar/nesting';
import { formatPolicyText } from '../../server/src/core/language/format';
import { SCHEMA, workspace } from './helpers';

const depth = (cond: string) => policyDepth(codeTokens(`permit(principal, action, resource) when { ${cond} };`)).depth;
const OK = 'permit(principal, action == Acme::Action::"read_doc", resource) when { context.input.docId == "x" };';

describe('nesting limits that protect cedar-wasm', () => {
  // Each of these, measured, overflows cedar-wasm's stack and corrupts its instance for good.
  const crashing: [string, string][] = [
    ['128 nested parentheses', '('.repeat(128) + 'true' + ')'.repeat(128)],
    ['a 361-term + chain', Array(361).fill('1').join(' + ') + ' == 1'],
    ['361 chained attribute accesses', 'context' + '.a'.repeat(361)],
    ['361 nested if-then-else', 'if true then '.repeat(361) + 'true' + ' else false'.repeat(361)],
    ['124 nested sets', '['.repeat(124) + ']'.repeat(124) + ' == []'],
  ];
  for (const [what, cond] of crashing) {
    it(`rates ${what} over the limit`, () => expect(depth(cond)).toBeGreaterThan(POLICY_DEPTH_LIMIT));
  }

  it('keeps long but shallow policies under the limit', () => {
    expect(depth(Array.from({ length: 500 }, (_, i) => `resource.id == "r${i}"`).join(' || '))).toBeLessThan(20);
    expect(depth(`[${Array.from({ length: 5000 }, (_, i) => `"s${i}"`).join(', ')}].contains(resource.id)`)).toBeLessThan(20);
    expect(depth('-'.repeat(1000) + '1 == 1 && ' + '!'.repeat(1000) + 'true')).toBeLessThan(20);
  });

  it('measures JSON depth without recursion, ignoring brackets in strings and comments', () => {
    expect(jsonDepth('{"a": "[[[[", "b": [[1]] /* {{{ */}', 64).depth).toBe(3);
    expect(jsonDepth('['.repeat(200000) + ']'.repeat(200000), 64).offset).toBe(64);
  });

  it('a too-deep policy gets a clear finding, and Cedar still works for the next file', () => {
    const deep = `permit(principal, action, resource) when { ${'('.repeat(600)}true${')'.repeat(600)} };`;
    const { service, path } = workspace({
      'schema.cedarschema': SCHEMA,
      'a-deep.cedar': deep,
      'b-ok.cedar': OK,
      'c-bad.cedar': OK.replace('docId', 'docid'),
    });
    const all = service.checkAll();
    expect(all.get(path('a-deep.cedar'))![0].message).toMatch(/too complex for Cedar to check safely/);
    expect(all.get(path('b-ok.cedar'))).toEqual([]);
    expect(all.get(path('c-bad.cedar'))![0].help).toContain('docId');
    expect(formatPolicyText(deep, { tabSize: 2 })).toBeUndefined();
  });

  it('too-deep schemas and entities get a clear finding, and Cedar still works', () => {
    const deepSchema = `entity A { a: ${'{ b: '.repeat(800)}String${' }'.repeat(800)} };`;
    const deepJsonSchema = `{"": {"entityTypes": {"A": {"shape": ${'{"type": "Set", "element": '.repeat(300)}{"type": "String"}${'}'.repeat(300)}}}, "actions": {}}}`;
    const deepEntities = `[{"uid": {"type": "A", "id": "a"}, "attrs": {"a": ${'['.repeat(5000)}1${']'.repeat(5000)}}, "parents": []}]`;
    const { service, path } = workspace({
      'x/s.cedarschema': deepSchema,
      'y/s.cedarschema.json': deepJsonSchema,
      'e.cedarentities.json': deepEntities,
      'schema.cedarschema': SCHEMA,
      'ok.cedar': OK.replace('docId', 'docid'),
    });
    const all = service.checkAll();
    expect(all.get(path('x/s.cedarschema'))![0].message).toMatch(/nested too deeply/);
    expect(all.get(path('y/s.cedarschema.json'))![0].message).toMatch(/nested too deeply/);
    expect(all.get(path('e.cedarentities.json'))![0].message).toMatch(/nested too deeply/);
    expect(all.get(path('ok.cedar'))![0].help).toContain('docId');
  });
});
