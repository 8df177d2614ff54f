import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractCedarCorpus } from './corpus';
import { CedarGateway } from '../../server/src/core/cedar/gateway';
import { loadCedar } from '../../server/src/core/cedar/gateway/load';

/*
 * The gateway checks a Cedar-syntax schema by converting it and checking the JSON (a third of
 * the cost), and falls back to the text's own check when anything fails. Its answer must be the
 * text check's, error for error: on a sample of Cedar's integration corpus (all valid) and on
 * mutants of it that break it in the ways schemas break.
 */

function textCheck(text: string): unknown[] {
  const answer = loadCedar().checkParseSchema(text);
  return answer.type === 'failure' ? answer.errors : [];
}

/**
 * The text check's answer that equals `got`, if one does: Cedar names the member of a type
 * cycle it meets first in a hash map, so the same text can get either of two answers.
 */
function sameAsTextCheck(text: string, got: unknown[]): unknown[] {
  let expected = textCheck(text);
  for (let i = 0; i < 20 && JSON.stringify(expected) !== JSON.stringify(got); i++) expected = textCheck(text);
  return expected;
}

const MUTATIONS: ((t: string) => string)[] = [
  (t) => t.replace(/\b(String|Long|Bool)\b/, 'Strng'),
  (t) => `${t}\nentity X; entity X;`,
  (t) => t.replace(/in \[?([A-Za-z_]+)/, 'in [Nope'),
  (t) => `${t}\nentity A in [B]; entity B in [A];`,
  (t) => `${t}\ntype T = U; type U = T;`,
  (t) => t.replace(/action "([^"]*)"/, 'action "$1" in ["missing_group"]'),
  (t) => `${t}\naction "dup"; action "dup";`,
  (t) => t.replace(/principal: \[?([A-Za-z_:]+)/, 'principal: [Unknown::Type'),
  (t) => `${t}\ntype Bool = Long;`,
  (t) => `${t}\nentity E { a: __cedar::Nope };`,
  (t) => t.replace(/\{/, '{ x: Set<Set<Undeclared>>,'),
  (t) => `${t}\nnamespace __cedar { entity A; }`,
  (t) => `${t}\nentity E enum ["a", "a"];`,
  (t) => `${t}\nentity F tags Undeclared;`,
  (t) => `${t}\nentity G {`,
];

describe('a schema text checked through its JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-schemas-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers what checking the text answers, on the corpus and its mutants', () => {
    const corpus = extractCedarCorpus(dir);
    const schemas = readdirSync(corpus)
      .filter((f) => f.endsWith('.cedarschema'))
      .sort();
    let compared = 0;
    let invalid = 0;
    for (let i = 0; i < schemas.length; i += 40) {
      const base = readFileSync(join(corpus, schemas[i]), 'utf8');
      for (const text of [base, MUTATIONS[(i / 40) % MUTATIONS.length](base)]) {
        // A fresh gateway each time: nothing is remembered from another text.
        const answer = new CedarGateway().schemaText(text);
        const expected = sameAsTextCheck(text, answer.checkErrors);
        expect(answer.checkErrors).toEqual(expected);
        if (expected.length) invalid++;
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(100);
  }, 120_000);

  it('keeps the conversion, so the schema is parsed once', () => {
    const gateway = new CedarGateway();
    const answer = gateway.schemaText('entity User; action "read" appliesTo { principal: User, resource: User };');
    expect(answer.conversion?.json).toBeDefined();
    expect(gateway.schemaToJson('entity User; action "read" appliesTo { principal: User, resource: User };')).toBe(
      answer.conversion,
    );
    expect(gateway.callStats().schemaToJson.calls).toBe(1);
    // A valid schema: one check, of its JSON; the text is not parsed a second time.
    expect(gateway.callStats().checkSchema.calls).toBe(1);
  });
});
