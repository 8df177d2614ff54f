import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractCedarCorpus } from './corpus';
import { findingFromCedarError, sliceOf } from '../../server/src/core/cedar/errors';
import { cedarGateway, type DetailedError } from '../../server/src/core/cedar/gateway';
import { PolicyValidator, statementParseErrors } from '../../server/src/core/cedar/policyCheck';
import { parsePolicyFile, type PolicyFileModel } from '../../server/src/core/cedar/policyFile';
import { parseSchemaFile } from '../../server/src/core/cedar/schemaFile';
import { buildSchemaModel, type SchemaModel } from '../../server/src/core/cedar/schemaModel';
import { actionReach, sliceFor } from '../../server/src/core/cedar/slices';
import type { Finding } from '../../server/src/core/findings/finding';

/*
 * The differential test of validation by slices: every finding must equal what validating the
 * same policies against the whole schema gives, on generated workspaces (groups of groups,
 * actions named in conditions, typos, unconstrained scopes, templates, type errors, impossible
 * policies) and on a sample of Cedar's own integration corpus.
 */

/** The reference: every statement against the whole schema, in one call. */
function wholeSchemaFindings(file: string, model: PolicyFileModel, schema: SchemaModel): Finding[] {
  const statements = model.statements.filter((s) => !statementParseErrors(s).length);
  const answer = cedarGateway.validate(
    schema.json,
    statements.map((s, i) => ({ id: `w${i}`, text: s.text, isTemplate: s.isTemplate })),
  );
  const out: Finding[] = [];
  statements.forEach((s, i) => {
    const slice = sliceOf(file, model.lines, s.start, s.end, model.lines.range(s.effectStart, s.effectEnd));
    // Cedar names the policy in some messages: by its real id, as the validator does.
    const real = (e: DetailedError): DetailedError => ({
      ...e,
      message: e.message.split(`\`w${i}\``).join(`\`${s.id}\``),
      help: e.help?.split(`\`w${i}\``).join(`\`${s.id}\``) ?? null,
    });
    for (const e of answer.failure ?? answer.errors.get(`w${i}`) ?? [])
      out.push({ ...findingFromCedarError(real(e), slice, 'cedar-validation'), policy: s.id });
    for (const w of answer.failure ? [] : (answer.warnings.get(`w${i}`) ?? []))
      out.push({ ...findingFromCedarError(real(w), slice, 'cedar-warning', 'warning'), policy: s.id });
  });
  return out;
}

function sortFindings(fs: Finding[]): string[] {
  return fs.map((f) => JSON.stringify(f)).sort();
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random workspace: a schema with nested action groups and typed contexts, and policies of every shape. */
function generate(seed: number): { schema: string; policies: string } {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const ns = pick(['Acme', '']);
  const q = (n: string) => (ns ? `${ns}::${n}` : n);
  const groups = Array.from({ length: 4 }, (_, i) => `group_${i}`);
  const tools = Array.from({ length: 12 + Math.floor(r() * 12) }, (_, i) => `tool_${i}`);
  let schema = `${ns ? `namespace ${ns} {\n` : ''}entity Team;\nentity User in [Team] { name: String };\nentity Agent in [Team] { team: String, level: Long };\nentity McpServer { vendor: String };\n`;
  schema += `action "group_0";\naction "group_1" in ["group_0"];\naction "group_2" in ["group_1"];\naction "group_3";\n`;
  for (const t of tools) {
    const fields = pick([
      'amount: Long, account: String',
      'to: String, subject?: String',
      'query: String, limit: Long',
      'flag: Bool',
    ]);
    const member =
      r() < 0.7
        ? ` in [${[pick(groups), ...(r() < 0.3 ? [pick(groups)] : [])]
            .map((g) => `"${g}"`)
            .filter((g, i, a) => a.indexOf(g) === i)
            .join(', ')}]`
        : '';
    const principals = r() < 0.8 ? 'Agent' : 'Agent, User';
    schema += `action "${t}"${member} appliesTo { principal: [${principals}], resource: [McpServer], context: { input: { ${fields} }, approval?: { granted: Bool } } };\n`;
  }
  if (ns) schema += '}\n';
  const act = (t: string) => `${q('Action')}::"${t}"`;
  const conditions = [
    '',
    ' when { context.input.amount <= 500 }',
    ' when { context.input.to like "*@acme.com" }',
    ' when { context has approval && context.approval.granted }',
    ' unless { context.input.limit > 100 }',
    ' when { principal.level > 2 }',
    ' when { principal.nonexistent == 1 }',
    ` when { action == ${act(pick(tools))} }`,
    ` when { action in ${act(pick(groups))} }`,
    ' when { resource.vendor == "x" && context.input.flag }',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 30; i++) {
    const effect = r() < 0.75 ? 'permit' : 'forbid';
    const principal = pick([
      'principal',
      `principal == ${q('Agent')}::"a${i}"`,
      `principal is ${q('Agent')}`,
      `principal in ${q('Team')}::"t"`,
      'principal == ?principal',
      `principal is ${q('User')}`,
    ]);
    const action = pick([
      'action',
      `action == ${act(pick(tools))}`,
      `action == ${act(pick(tools))}`,
      `action in [${act(pick(tools))}, ${act(pick(tools))}]`,
      `action in ${act(pick(groups))}`,
      `action == ${act(`${pick(tools)}x`)}`,
      `action in [${act(pick(groups))}, ${act(pick(tools))}]`,
    ]);
    const resource = pick([
      'resource',
      `resource == ${q('McpServer')}::"s"`,
      `resource is ${q('McpServer')}`,
      'resource in ?resource',
    ]);
    lines.push(`@id("p${i}")\n${effect}(${principal}, ${action}, ${resource})${pick(conditions)};`);
  }
  return { schema, policies: lines.join('\n') };
}

function compare(schemaText: string, schemaFile: string, policies: string): { sliced: number; compared: number } {
  const schema = buildSchemaModel([parseSchemaFile(schemaFile, schemaText)]);
  if (!schema.valid) return { sliced: 0, compared: 0 };
  const model = parsePolicyFile(policies);
  const got = new PolicyValidator().validate(schema, [{ file: '/p.cedar', model }]).get('/p.cedar')!;
  expect(sortFindings(got)).toEqual(sortFindings(wholeSchemaFindings('/p.cedar', model, schema)));
  const sliced = model.statements.filter((s) => sliceFor(schema, actionReach(s.text)).actions).length;
  return { sliced, compared: model.statements.length };
}

describe('validation by slices equals validation against the whole schema', () => {
  it('on 60 generated workspaces', () => {
    let sliced = 0;
    let compared = 0;
    let withFindings = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { schema, policies } = generate(seed);
      const r = compare(schema, '/s.cedarschema', policies);
      sliced += r.sliced;
      compared += r.compared;
      if (r.compared) withFindings++;
    }
    // The comparison means something only when most policies really were sliced.
    expect(withFindings).toBe(60);
    expect(sliced / compared).toBeGreaterThan(0.6);
    expect(sliced).toBeLessThan(compared);
  });

  describe("on a sample of Cedar's integration corpus", () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentgov-corpus-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const stride = Number(process.env.AGENTGOV_CORPUS_STRIDE ?? 25);
    it(
      `every ${stride}th test`,
      () => {
        const corpus = extractCedarCorpus(dir);
        const tests = readdirSync(corpus)
          .filter((f) => f.endsWith('.cedar'))
          .sort();
        let compared = 0;
        for (let i = 0; i < tests.length; i += stride) {
          const base = join(corpus, tests[i].replace(/\.cedar$/, ''));
          compared += compare(
            readFileSync(`${base}.cedarschema`, 'utf8'),
            '/s.cedarschema',
            readFileSync(`${base}.cedar`, 'utf8'),
          ).compared;
        }
        expect(compared).toBeGreaterThan(200);
      },
      60_000 + 600_000 / stride,
    );
  });
});

describe('slices', () => {
  const schema = buildSchemaModel([parseSchemaFile('/s.cedarschema', generate(7).schema)]);
  it('an unconstrained action or an undeclared action takes the whole schema', () => {
    expect(sliceFor(schema, actionReach('permit(principal, action, resource);')).actions).toBeUndefined();
    expect(sliceFor(schema, actionReach('permit(principal, action == Action::"nope", resource);')).actions).toBeUndefined();
  });
  it('a group reaches its members and a member its groups', () => {
    const g = generate(7).schema.includes('namespace') ? 'Acme::Action' : 'Action';
    const reach = sliceFor(schema, actionReach(`permit(principal, action in ${g}::"group_0", resource);`)).actions!;
    expect(reach).toContain(`${g}::"group_2"`);
    const member = sliceFor(
      schema,
      actionReach(`permit(principal, action == ${g}::"tool_0", resource) when { action in ${g}::"group_3" };`),
    ).actions!;
    expect(member).toContain(`${g}::"group_3"`);
    expect(member.length).toBeLessThan(schema.actions.size);
  });
  it("a change to one action's declaration changes only the slices that hold it", () => {
    const text = generate(7).schema;
    const other = buildSchemaModel([
      parseSchemaFile(
        '/s.cedarschema',
        text.replace(/action "tool_3"([^;]*)input: \{/, 'action "tool_3"$1input: { extra: String, '),
      ),
    ]);
    const g = text.includes('namespace') ? 'Acme::Action' : 'Action';
    const on = (m: SchemaModel, t: string) =>
      sliceFor(m, actionReach(`permit(principal, action == ${g}::"${t}", resource);`)).key;
    expect(on(other, 'tool_3')).not.toBe(on(schema, 'tool_3'));
    const untouched = Array.from({ length: 12 }, (_, i) => `tool_${i}`).find(
      (t) =>
        t !== 'tool_3' &&
        !sliceFor(schema, actionReach(`permit(principal, action == ${g}::"${t}", resource);`)).actions!.includes(
          `${g}::"tool_3"`,
        ),
    )!;
    expect(on(other, untouched)).toBe(on(schema, untouched));
  });
  it("a rebuilt schema keeps the earlier schema's slices that hold no changed action, and only those", () => {
    const text = generate(7).schema;
    const g = text.includes('namespace') ? 'Acme::Action' : 'Action';
    const tools = Array.from({ length: 12 }, (_, i) => `tool_${i}`);
    const policy = (t: string) => `permit(principal, action == ${g}::"${t}", resource);`;
    const before = buildSchemaModel([parseSchemaFile('/s.cedarschema', text)]);
    const old = new Map(tools.map((t) => [t, sliceFor(before, actionReach(policy(t)))]));
    const after = buildSchemaModel([
      parseSchemaFile(
        '/s.cedarschema',
        text.replace(/action "tool_3"([^;]*)input: \{/, 'action "tool_3"$1input: { extra: Long, '),
      ),
    ]);
    // The reference: a statement of another text has a reach no earlier schema made a slice for.
    const fresh = (t: string) => sliceFor(after, actionReach(`${policy(t)} `));
    let kept = 0;
    for (const t of tools) {
      const now = sliceFor(after, actionReach(policy(t)));
      const holdsChanged = old.get(t)!.actions!.includes(`${g}::"tool_3"`);
      if (holdsChanged) expect(now.key).not.toBe(old.get(t)!.key);
      else {
        expect(now).toBe(old.get(t));
        kept++;
      }
      expect(now.key).toBe(fresh(t).key);
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(tools.length);
    // A new entity type changes the base only: each slice keeps its actions under a new key.
    const typed = buildSchemaModel([
      parseSchemaFile('/s.cedarschema', text.replace('entity Team;', 'entity Team;\nentity Extra;')),
    ]);
    expect(typed.valid).toBe(true);
    for (const t of tools) {
      const now = sliceFor(typed, actionReach(policy(t)));
      expect(now.key).not.toBe(old.get(t)!.key);
      expect(now.key).toBe(sliceFor(typed, actionReach(`${policy(t)}  `)).key);
      expect(now.actions).toEqual(old.get(t)!.actions);
      // Kept, not recomputed, where the schema before it declared the slice's actions the same.
      if (!old.get(t)!.actions!.includes(`${g}::"tool_3"`)) expect(now.actions).toBe(old.get(t)!.actions);
    }
    // A new group member changes the hierarchy: no slice is kept from the schema before it.
    const regrouped = buildSchemaModel([
      parseSchemaFile(
        '/s.cedarschema',
        text.replace('action "group_3";\n', 'action "group_3";\naction "tool_new" in ["group_0"];\n'),
      ),
    ]);
    expect(regrouped.valid).toBe(true);
    const t = tools.find((x) => !old.get(x)!.actions!.includes(`${g}::"tool_3"`))!;
    expect(sliceFor(regrouped, actionReach(policy(t)))).not.toBe(old.get(t));
  });
  it('annotations (doc comments, tool descriptions) change no slice and no whole-schema key', () => {
    const text = generate(7).schema;
    const g = text.includes('namespace') ? 'Acme::Action' : 'Action';
    const documented = buildSchemaModel([
      parseSchemaFile(
        '/s.cedarschema',
        text.replace(/action "tool_3"/, '@doc("Refunds an invoice")\naction "tool_3"').replace(/(entity \w+)/, '@doc("who")\n$1'),
      ),
    ]);
    expect(documented.valid).toBe(true);
    expect(documented.key).not.toBe(schema.key);
    for (const scope of [`action == ${g}::"tool_3"`, 'action']) {
      const policy = `permit(principal, ${scope}, resource);`;
      expect(sliceFor(documented, actionReach(policy)).key).toBe(sliceFor(schema, actionReach(policy)).key);
    }
  });
});
