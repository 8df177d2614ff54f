// Reading request test files: every problem at its exact range, and nothing ever thrown.
import { describe, expect, it } from 'vitest';
import { readTestFile, type TestProblem } from '../../server/src/core/requestTests';
import { isExactInteger } from '../../server/src/core/text/losslessJson';
import type { Range } from '../../server/src/core/text/range';
import { posOf } from './helpers';
import { prepareShop, request, runShop, shopTest } from './requestTestsFixture';

/** The range of the n-th occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  return { start: posOf(text, needle, 0, nth), end: posOf(text, needle, needle.length, nth) };
}

const only = (problems: TestProblem[]) => {
  expect(problems).toHaveLength(1);
  return problems[0];
};

describe('reading a request test file', () => {
  it('reads both uid forms, exact 64-bit numbers, extension values, defaults and each request range', () => {
    const text = `// comments and trailing commas, as VS Code reads JSON
{
  "policies": ["a.cedar", "b.cedar"],
  "entities": [{ "uid": { "type": "T", "id": "x" }, "attrs": { "n": 9223372036854775807 }, "parents": [] }],
  "requests": [
    {
      "principal": { "__entity": { "type": "T", "id": "x" } },
      "action": { "type": "Action", "id": "go" },
      "resource": { "type": "T", "id": "y" },
      "context": { "n": 9007199254740993, "ip": { "__extn": { "fn": "ip", "arg": "10.0.0.1" } } },
      "validateRequest": false,
      "decision": "allow",
      "reason": ["p"],
    },
  ],
}`;
    const { file, problems } = readTestFile(text);
    expect(problems).toEqual([]);
    expect(file!.policies.map((p) => p.path)).toEqual(['a.cedar', 'b.cedar']);
    expect(file!.policies[1].range).toEqual(rangeOf(text, '"b.cedar"'));
    const [req] = file!.requests;
    expect(req.description).toBe('Request 0');
    expect(req.range.start).toEqual(posOf(text, '{\n      "principal"'));
    expect(req.range.end).toEqual(posOf(text, '},\n  ],', 1));
    expect(req.call!.principal).toEqual({ type: 'T', id: 'x' });
    expect(req.call!.validateRequest).toBe(false);
    expect(isExactInteger(req.call!.context.n)).toBe(true);
    expect(JSON.stringify(req.call!.context)).toBe('{"n":9007199254740993,"ip":{"__extn":{"fn":"ip","arg":"10.0.0.1"}}}');
    const entities = file!.entities as { inline: unknown[] };
    expect(JSON.stringify(entities.inline)).toContain('"n":9223372036854775807');
    expect(req.expected).toEqual({ decision: 'allow', reason: ['p'] });
  });

  it('malformed JSON: each syntax error where it is', () => {
    const text = '{ "policies": "p.cedar",, "entities": [], "requests": [] }';
    const p = readTestFile(text).problems[0];
    expect(p).toMatchObject({ severity: 'error', message: expect.stringMatching(/^Invalid JSON/) });
    expect(p.range.start).toEqual(posOf(text, ',,', 1));
  });

  it('not an object, missing keys (on the file start) and wrong types (on the value)', () => {
    expect(only(readTestFile('[1, 2]').problems).message).toMatch(/must be a JSON object/);
    const missing = readTestFile('\n  { "shouldValidate": true }');
    const starts = missing.problems.map((p) => p.range);
    expect(new Set(starts.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify(rangeOf('\n  {', '{'))]));
    expect(missing.problems.map((p) => p.message).join('\n')).toMatch(/No `policies`[\s\S]*No `entities`[\s\S]*No `requests`/);
    const text = '{ "policies": 3, "entities": "e.json", "schema": ["s"], "shouldValidate": "yes", "requests": {} }';
    const messages = readTestFile(text).problems.map((p) => [p.message, p.range]);
    expect(messages).toEqual([
      ['`policies` must be a path or a list of paths, not a number.', rangeOf(text, '3')],
      ['`schema` must be a string, not an array.', rangeOf(text, '["s"]')],
      ['`shouldValidate` must be true or false, not a string.', rangeOf(text, '"yes"')],
      ['`requests` must be an array, not an object.', rangeOf(text, '{}')],
    ]);
  });

  it('a malformed request: the problem on its key, and only that request stops', () => {
    const good = request('read', {}, 'allow');
    const text = shopTest([
      good,
      { ...good, principal: { type: 'Shop::Agent' }, decision: 'Allow', context: [], reason: 'tier-reads', reasons: ['x'] },
    ]);
    const problems = readTestFile(text).problems;
    expect(problems.every((p) => p.request === 1)).toBe(true);
    const byMessage = Object.fromEntries(problems.map((p) => [p.message, p.range]));
    expect(byMessage['Unknown key `reasons` in a request; did you mean `reason`? It is ignored.']).toEqual(
      rangeOf(text, '"reasons"'),
    );
    expect(byMessage['`decision` must be "allow" or "deny" (Cedar writes it in lower case: "allow").']).toEqual(
      rangeOf(text, '"Allow"'),
    );
    expect(byMessage['`context` must be an object (a record), not an array.']).toEqual(rangeOf(text, '[]'));
    expect(byMessage['`reason` must be a list of policy ids (strings).']).toEqual(rangeOf(text, '"tier-reads"', 0));
    const principal = Object.keys(byMessage).find((m) => m.startsWith('`principal` must be an entity uid'))!;
    expect(byMessage[principal].start).toEqual(posOf(text, '{\n        "type": "Shop::Agent"\n      }'));
    const { file } = readTestFile(text);
    expect(file!.requests[0].call).toBeDefined();
    expect(file!.requests[1].call).toBeUndefined();
    // A request with no decision says so on its own first character.
    const noDecision = shopTest([{ ...good, decision: undefined }]);
    expect(only(readTestFile(noDecision).problems)).toMatchObject({
      message: 'This request has no expected `decision` ("allow" or "deny").',
      range: { start: posOf(noDecision, '{\n      "description"') },
      request: 0,
    });
  });

  it('never throws, whatever the text', () => {
    const texts = [
      '',
      'null',
      '"x"',
      '{',
      '{"requests": [1, null, "x", {"principal": 5}]}',
      '{"policies": [null], "entities": {"a": 1}, "requests": [{"principal": {"__entity": 3}}]}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"requests": [{"context": ${'{"a":'.repeat(200)}1${'}'.repeat(200)}}]}`,
      '\uFEFF{"requests": []}\u0000',
    ];
    for (const t of texts) expect(() => readTestFile(t)).not.toThrow();
    expect(readTestFile(`${'['.repeat(5000)}${']'.repeat(5000)}`).problems[0].message).toMatch(/Nested too deeply/);
  });

  it('never throws while reading and running 300 mutants of a test file (seeded)', () => {
    const base = shopTest([
      request('refund', { amount: 30 }, 'allow', { reason: ['small-refunds'] }),
      request('read', {}, 'deny', { principal: { __entity: { type: 'Shop::Agent', id: 'b' } } }),
    ]);
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '9223372036854775808',
      '1e400',
      'null',
      '"__extn"',
      '"__entity"',
      '"policies"',
      '"requests"',
      '\\u0000',
      '\n',
    ];
    let seed = 1234567;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let ran = 0;
    for (let i = 0; i < 300; i++) {
      let text = base;
      for (let k = 0, edits = 1 + random(4); k < edits; k++) {
        const at = random(text.length);
        const cut = random(3) === 0 ? random(20) : 0;
        text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at + cut);
      }
      const run = runShop(text);
      ran += run.results.filter((r) => !('notRun' in r && r.notRun)).length;
    }
    // Most mutants break the file, but some still run requests: the runner was reached, not only the reader.
    expect(ran).toBeGreaterThan(0);
  });
});

describe('what a test file names', () => {
  it('a path that does not exist says every place it looked', () => {
    const text = shopTest([request('read', {}, 'allow')], { policies: ['policies/shop.cedar', 'policies/nope.cedar'] });
    const p = only(prepareShop(text).problems);
    expect(p).toMatchObject({
      severity: 'error',
      message: 'No policy file `policies/nope.cedar`: looked for tests/policies/nope.cedar, policies/nope.cedar.',
      range: rangeOf(text, '"policies/nope.cedar"'),
    });
    const noEntities = shopTest([], { entities: 'nope.json' });
    expect(only(prepareShop(noEntities).problems).message).toBe(
      'No entities file `nope.json`: looked for tests/nope.json, nope.json.',
    );
    const noSchema = shopTest([], { schema: 'nope.cedarschema' });
    expect(only(prepareShop(noSchema).problems).range).toEqual(rangeOf(noSchema, '"nope.cedarschema"'));
  });

  it('a policy file that does not parse: on the path, with the line in the policy file as related information', () => {
    const text = shopTest([request('read', {}, 'allow')], { policies: 'policies/bad.cedar' });
    const bad = '@id("ok")\npermit (principal, action, resource);\n\npermit (principal, action, resource) when { 1 + };\n';
    const p = only(prepareShop(text, { '/ws/policies/bad.cedar': bad }).problems);
    expect(p.range).toEqual(rangeOf(text, '"policies/bad.cedar"'));
    expect(p.message).toMatch(/^`policies\/bad.cedar` does not parse: policies\/bad.cedar:4:\d+: /);
    expect(p.related?.[0]).toMatchObject({ file: '/ws/policies/bad.cedar', range: { start: { line: 3 } } });
    const ready = prepareShop(text, { '/ws/policies/bad.cedar': bad }).ready;
    expect(ready).toBeUndefined();
  });

  it('two statements of one file with the same id cannot run', () => {
    const text = shopTest([], {
      policiesText: '@id("policy1") permit (principal, action, resource);\npermit (principal, action, resource);',
    });
    const p = prepareShop(text).problems.find((x) => /same id|the id/.test(x.message))!;
    expect(p.message).toMatch(/Two policies of `policiesText` have the id `policy1`/);
    // On the whole `policiesText` string: its statements are not located one by one inside it.
    const value = JSON.stringify(JSON.parse(text).policiesText);
    expect(p.range).toEqual(rangeOf(text, value));
  });

  it('a schema that does not parse, an entities file that is not JSON', () => {
    const broken = shopTest([], { schema: 'broken.cedarschema' });
    const s = only(prepareShop(broken, { '/ws/broken.cedarschema': 'namespace X { entity A in [Nope]; }' }).problems);
    expect(s.range).toEqual(rangeOf(broken, '"broken.cedarschema"'));
    expect(s.message).toMatch(/^`broken.cedarschema` has errors/);
    const notJson = shopTest([], { entities: 'bad.entities.json' });
    const e = only(prepareShop(notJson, { '/ws/bad.entities.json': '[{"uid": }]' }).problems);
    expect(e.message).toMatch(/^`bad.entities.json` is not valid JSON \(line 1:10\)/);
    const notArray = shopTest([], { entities: 'obj.entities.json' });
    expect(only(prepareShop(notArray, { '/ws/obj.entities.json': '{}' }).problems)).toMatchObject({
      message: '`obj.entities.json` must be a JSON array of entities.',
      range: rangeOf(notArray, '"obj.entities.json"'),
    });
  });

  it('an entity type or action the schema does not declare, on the uid, with "did you mean"', () => {
    const text = shopTest([
      request('read', {}, 'allow', { principal: { type: 'Shop::Agnet', id: 'a' } }),
      request('reed', {}, 'allow'),
      request('read', {}, 'allow', { principal: { type: 'Shop::Agnet', id: 'a' }, validateRequest: false }),
    ]);
    const problems = prepareShop(text).problems;
    expect(problems.map((p) => [p.request, p.message, p.range.start])).toEqual([
      [
        0,
        'The schema declares no entity type `Shop::Agnet` (the principal of this request); did you mean `Shop::Agent`?',
        posOf(text, '{\n        "type": "Shop::Agnet"'),
      ],
      [
        1,
        'The schema declares no action `Shop::Action::"reed"`; did you mean `Shop::Action::"read"`?',
        posOf(text, '{\n        "type": "Shop::Action",\n        "id": "reed"'),
      ],
    ]);
  });

  it('a test file that is not there or cannot be read is a problem, not an exception', () => {
    expect(prepareShop('{}').problems.length).toBeGreaterThan(0);
    const missing = prepareShop('', {});
    expect(missing.problems.length).toBeGreaterThan(0);
  });
});
