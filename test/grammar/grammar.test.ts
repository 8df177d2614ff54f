import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAMMAR_FILES, PACKAGE_JSON, SYNTAXES_DIR, Tokenized, collectRegexes, hasScope, loadOnigLib, tokenize } from './helpers';

const cedar = (source: string) => tokenize('source.cedar', source);
const schema = (source: string) => tokenize('source.cedarschema', source);
const markdown = (source: string) => tokenize('text.html.markdown', source);

/** Every token covering the `nth` occurrence of `text` carries `scope` (or a more specific one). */
function expectScope(t: Tokenized, text: string, scope: string, nth = 0): void {
  const tokens = t.find(text, nth);
  expect(tokens.length, `no tokens for ${text}`).toBeGreaterThan(0);
  for (const token of tokens) {
    expect(
      hasScope(token.scopes, scope),
      `${JSON.stringify(token.text)} of ${JSON.stringify(text)} lacks ${scope}:\n${t.dump()}`,
    ).toBe(true);
  }
}

function expectNoScope(t: Tokenized, text: string, scope: string, nth = 0): void {
  for (const token of t.find(text, nth)) {
    expect(
      hasScope(token.scopes, scope),
      `${JSON.stringify(token.text)} of ${JSON.stringify(text)} has ${scope}:\n${t.dump()}`,
    ).toBe(false);
  }
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('cedar grammar: keywords and variables', () => {
  it('scopes the effects permit and forbid as keywords', async () => {
    const t = await cedar('permit (principal, action, resource);\nforbid (principal, action, resource);');
    expect(t.scopesOf('permit')).toContain('keyword.other.effect.cedar');
    expect(t.scopesOf('forbid')).toContain('keyword.other.effect.cedar');
  });

  it('scopes when/unless and if/then/else as control keywords', async () => {
    const t = await cedar('permit (principal, action, resource)\nwhen { if context.a then true else false }\nunless { false };');
    for (const word of ['when', 'unless', 'if', 'then', 'else']) {
      expectScope(t, word, 'keyword.control');
    }
  });

  it('scopes in, has, like and is as keyword operators', async () => {
    const t = await cedar('principal in Group::"g" && context has mfa && resource.name like "a*" && principal is User');
    expect(t.scopesOf('in')).toContain('keyword.operator.in.cedar');
    expect(t.scopesOf('has')).toContain('keyword.operator.has.cedar');
    expect(t.scopesOf('like')).toContain('keyword.operator.like.cedar');
    expect(t.scopesOf('is')).toContain('keyword.operator.is.cedar');
  });

  it('scopes true and false as boolean constants', async () => {
    const t = await cedar('when { true && !false }');
    expectScope(t, 'true', 'constant.language.boolean');
    expectScope(t, 'false', 'constant.language.boolean');
  });

  it('scopes principal, action, resource and context as language variables', async () => {
    const t = await cedar('permit (principal, action, resource) when { context.x };');
    for (const word of ['principal', 'action', 'resource', 'context']) {
      expect(t.scopesOf(word)).toContain('variable.language.cedar');
    }
  });

  it('scopes template slots ?principal and ?resource apart from the variables', async () => {
    const t = await cedar('permit (principal == ?principal, action, resource in ?resource);');
    for (const slot of ['?principal', '?resource']) {
      expectScope(t, slot, 'variable.other.constant.template-slot');
      expectNoScope(t, slot, 'variable.language');
    }
    expect(t.scopesOf('?', 0)).toContain('punctuation.definition.template-slot.cedar');
  });

  it('does not treat keywords inside identifiers or after "." as keywords', async () => {
    const t = await cedar('when { context.permitted && principal.when && context.action == resource.context }');
    expect(t.scopesOf('permitted')).toContain('variable.other.property.cedar');
    expect(t.scopesOf('when', 1)).toContain('variable.other.property.cedar');
    expectNoScope(t, 'when', 'keyword', 1);
    expect(t.scopesOf('action')).toContain('variable.other.property.cedar');
    expectNoScope(t, 'action', 'variable.language');
    expect(t.scopesOf('context', 2)).toContain('variable.other.property.cedar');
  });
});

describe('cedar grammar: entity references and types', () => {
  it('scopes the type path and the id of Acme::User::"alice" distinctly', async () => {
    const t = await cedar('permit (principal == Acme::User::"alice", action, resource);');
    for (const part of ['Acme', 'User']) {
      expect(t.scopesOf(part)).toContain('entity.name.type.cedar');
    }
    expect(t.scopesOf('::', 0)).toContain('punctuation.separator.namespace.cedar');
    expectScope(t, '"alice"', 'string.quoted.double');
    expectNoScope(t, '"alice"', 'entity.name.type');
    expect(t.scopesOf('alice')).toContain('string.quoted.double.entity-id.cedar');
    expectScope(t, 'Acme::User::"alice"', 'meta.entity.reference');
  });

  it('scopes action entity references inside a set', async () => {
    const t = await cedar('permit (principal, action in [Action::"read", Action::"write"], resource);');
    expect(t.scopesOf('Action', 1)).toContain('entity.name.type.cedar');
    expectScope(t, 'write', 'string.quoted.double');
    expectScope(t, 'Action::"write"', 'meta.set.cedar');
    expect(t.scopesOf('[')).toContain('punctuation.section.set.begin.cedar');
  });

  it('handles escaped quotes inside entity ids without ending the reference', async () => {
    const t = await cedar(String.raw`principal == User::"a\"b" && true`);
    expect(t.scopesOf(String.raw`\"`)).toContain('constant.character.escape.cedar');
    expectScope(t, 'b"', 'string.quoted.double.entity-id');
    expect(t.scopesOf('true')).toContain('constant.language.boolean.cedar');
  });

  it('scopes the entity type after "is" as a type', async () => {
    const t = await cedar('permit (principal is Acme::Agent in Acme::Team::"ops", action, resource is Doc);');
    for (const part of ['Agent', 'Doc']) {
      expect(t.scopesOf(part)).toContain('entity.name.type.cedar');
    }
    expect(t.scopesOf('Team')).toContain('entity.name.type.cedar');
  });
});

describe('cedar grammar: strings', () => {
  it('scopes \\n, \\", \\\\ and \\u{1F525} escapes inside strings', async () => {
    const t = await cedar(String.raw`context.msg == "a\nb \"q\" c\\d \u{1F525}" && true`);
    for (const escape of [String.raw`\n`, String.raw`\"`, String.raw`\\`, String.raw`\u{1F525}`]) {
      expectScope(t, escape, 'constant.character.escape');
    }
    expectScope(t, 'c', 'string.quoted.double.cedar');
    // The string must end at the last quote, not at an escaped one.
    expect(t.scopesOf('true')).toContain('constant.language.boolean.cedar');
  });

  it('scopes \\* as an escape and * as a wildcard in like-patterns only', async () => {
    const t = await cedar(String.raw`resource.path like "/tmp/*\*.log" && context.s == "x\*"`);
    expect(t.scopesOf('*')).toContain('keyword.operator.wildcard.cedar');
    expect(t.scopesOf(String.raw`\*`, 0)).toContain('constant.character.escape.cedar');
    expectScope(t, '.log', 'string.quoted.double.pattern');
    // Outside a pattern Cedar rejects \*, so the grammar flags it instead of hiding the mistake.
    expect(t.scopesOf(String.raw`\*`, 1)).toContain('invalid.illegal.unknown-escape.cedar');
  });

  it('does not start a comment at // inside a string', async () => {
    const t = await cedar('context.url == "https://example.com" && true');
    expectNoScope(t, '//example.com', 'comment');
    expectScope(t, '//example.com', 'string.quoted.double');
    expect(t.scopesOf('true')).toContain('constant.language.boolean.cedar');
  });

  it('keeps a string open across lines', async () => {
    const t = await cedar('context.text == "first\nsecond" && true');
    expectScope(t, 'second', 'string.quoted.double.cedar');
    expect(t.scopesOf('true')).toContain('constant.language.boolean.cedar');
  });
});

describe('cedar grammar: numbers and operators', () => {
  it('scopes integers, including negative literals', async () => {
    const t = await cedar('context.n == 42 && context.m == -7 && [-1, 0] == context.s');
    expect(t.scopesOf('42')).toContain('constant.numeric.integer.cedar');
    expect(t.scopesOf('-7')).toContain('constant.numeric.integer.cedar');
    expect(t.scopesOf('-1')).toContain('constant.numeric.integer.cedar');
    expect(t.scopesOf('0')).toContain('constant.numeric.integer.cedar');
  });

  it('treats "-" after an operand as subtraction, not as a sign', async () => {
    const t = await cedar('context.a-1 == context.b - 2');
    expect(t.scopesOf('-', 0)).toContain('keyword.operator.arithmetic.cedar');
    expect(t.scopesOf('1')).toContain('constant.numeric.integer.cedar');
    expect(t.scopesOf('-', 1)).toContain('keyword.operator.arithmetic.cedar');
  });

  it('scopes comparison operators as single tokens', async () => {
    const t = await cedar('a == 1 && b != 2 && c < 3 && d <= 4 && e > 5 && f >= 6');
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(
        t.find(` ${op} `).some((tok) => tok.text === op && tok.scopes.includes('keyword.operator.comparison.cedar')),
        op,
      ).toBe(true);
    }
  });

  it('scopes logical and arithmetic operators', async () => {
    const t = await cedar('!context.a && context.b || context.c + 1 * 2 - 3 > 0');
    expect(t.scopesOf('!')).toContain('keyword.operator.logical.cedar');
    expect(t.scopesOf('&&')).toContain('keyword.operator.logical.cedar');
    expect(t.scopesOf('||')).toContain('keyword.operator.logical.cedar');
    for (const op of ['+', '*', '-']) {
      expect(t.scopesOf(op)).toContain('keyword.operator.arithmetic.cedar');
    }
  });

  it('scopes "." as an accessor and the attribute after it as a property', async () => {
    const t = await cedar('principal.department.name == "x"');
    expect(t.scopesOf('.', 0)).toContain('punctuation.accessor.cedar');
    expect(t.scopesOf('department')).toContain('variable.other.property.cedar');
    expect(t.scopesOf('name')).toContain('variable.other.property.cedar');
  });

  it('scopes the attribute named after "has" as a property', async () => {
    const t = await cedar('context has mfa && principal has "email address"');
    expect(t.scopesOf('mfa')).toContain('variable.other.property.cedar');
    expectScope(t, 'email address', 'string.quoted.double.cedar');
  });
});

describe('cedar grammar: methods and extension functions', () => {
  it.each([
    'contains',
    'containsAll',
    'containsAny',
    'isEmpty',
    'getTag',
    'hasTag',
    'lessThan',
    'lessThanOrEqual',
    'greaterThan',
    'greaterThanOrEqual',
    'isIpv4',
    'isIpv6',
    'isLoopback',
    'isMulticast',
    'isInRange',
    'toDate',
    'toTime',
    'toDays',
    'toHours',
    'toMinutes',
    'toSeconds',
    'toMilliseconds',
    'offset',
    'durationSince',
  ])('scopes the built-in method .%s( as a support function', async (method) => {
    const t = await cedar(`context.value.${method}(context.other)`);
    expect(t.scopesOf(method)).toContain('support.function.method.cedar');
    expect(t.scopesOf('.', 1)).toContain('punctuation.accessor.cedar');
  });

  it('still scopes an unknown method call as a member function, not a property', async () => {
    const t = await cedar('context.value.frobnicate(1)');
    expect(t.scopesOf('frobnicate')).toContain('entity.name.function.member.cedar');
    expectNoScope(t, 'frobnicate', 'variable.other.property');
  });

  it.each(['ip("10.0.0.1")', 'decimal("1.23")', 'datetime("2024-10-15")', 'duration("1h30m")'])(
    'scopes the extension constructor in %s as a function',
    async (call) => {
      const t = await cedar(`context.x == ${call}`);
      const name = call.slice(0, call.indexOf('('));
      expect(t.scopesOf(name)).toContain('support.function.extension.cedar');
      expectScope(t, call.slice(name.length + 1, -1), 'string.quoted.double.cedar');
    },
  );

  it('does not scope an attribute named like an extension function as a function', async () => {
    const t = await cedar('context.ip.isLoopback()');
    expect(t.scopesOf('ip')).toContain('variable.other.property.cedar');
    expect(t.scopesOf('isLoopback')).toContain('support.function.method.cedar');
  });
});

describe('cedar grammar: annotations and comments', () => {
  it('scopes @id("x") as an annotation with a string value', async () => {
    const t = await cedar('@id("x")\npermit (principal, action, resource);');
    expectScope(t, '@id', 'storage.type.annotation');
    expect(t.scopesOf('@')).toContain('punctuation.definition.annotation.cedar');
    expectScope(t, '"x"', 'string.quoted.double.cedar');
    expectScope(t, '@id("x")', 'meta.annotation.cedar');
    expect(t.scopesOf('permit')).toContain('keyword.other.effect.cedar');
  });

  it('scopes @advice with a long message and a bare @annotation', async () => {
    const t = await cedar('@advice("Ask a human (approval) first")\n@experimental\nforbid (principal, action, resource);');
    expectScope(t, '@advice', 'storage.type.annotation');
    expectScope(t, 'Ask a human (approval) first', 'string.quoted.double.cedar');
    expectScope(t, '@experimental', 'storage.type.annotation');
    expect(t.scopesOf('forbid')).toContain('keyword.other.effect.cedar');
    expectNoScope(t, 'forbid', 'meta.annotation');
  });

  it('scopes // comments, also at the end of a line of code', async () => {
    const t = await cedar('// leading comment\npermit (principal, action, resource); // trailing "quote"');
    expectScope(t, '// leading comment', 'comment.line.double-slash.cedar');
    expectScope(t, '// trailing "quote"', 'comment.line.double-slash.cedar');
    expect(t.scopesOf('//', 0)).toContain('punctuation.definition.comment.cedar');
    expectNoScope(t, 'permit', 'comment');
  });
});

describe('cedar grammar: structure', () => {
  it('scopes record literals, their keys and quoted keys', async () => {
    const t = await cedar('when { context.opts == { retries: 1, "max size": 10 } }');
    expectScope(t, '{ retries', 'meta.record.cedar');
    expect(t.scopesOf('retries')).toContain('support.type.property-name.cedar');
    expectScope(t, 'max size', 'support.type.property-name');
    expect(t.scopesOf('{', 1)).toContain('punctuation.section.record.begin.cedar');
    expect(t.scopesOf(':', 0)).toContain('punctuation.separator.key-value.cedar');
  });

  it('scopes the condition braces as a condition body, not as a record', async () => {
    const t = await cedar('permit (principal, action, resource)\nwhen { principal.level > 3 };');
    expect(t.scopesOf('{')).toContain('punctuation.section.condition.begin.cedar');
    expectNoScope(t, '{', 'meta.record');
    expectScope(t, 'level', 'meta.condition.body.cedar');
    expectScope(t, 'level', 'meta.policy.cedar');
  });

  it('scopes the head of a policy as its scope and ends the policy at ";"', async () => {
    const t = await cedar('permit (principal, action, resource);\ncontext.x');
    expectScope(t, 'principal', 'meta.policy.scope.cedar');
    expect(t.scopesOf(';')).toContain('punctuation.terminator.statement.cedar');
    expectNoScope(t, 'context', 'meta.policy');
  });

  it('tells a record index apart from a set', async () => {
    const t = await cedar('context["key"] in ["a", "b"]');
    expect(t.scopesOf('[', 0)).toContain('punctuation.section.index.begin.cedar');
    expect(t.scopesOf('[', 1)).toContain('punctuation.section.set.begin.cedar');
  });

  it('tokenizes a multi-line policy with nested sets, records and calls consistently', async () => {
    const t = await cedar(
      [
        '@id("agents-may-read")',
        'permit (',
        '  principal in Acme::Team::"agents",',
        '  action in [Acme::Action::"read_file", Acme::Action::"list_dir"],',
        '  resource',
        ')',
        'when {',
        '  context.args.path like "/workspace/*" &&',
        '  ["a", "b"].containsAny(context.tags) &&',
        '  { n: [1, 2] }.n.contains(2)',
        '}',
        'unless { context.ip.isInRange(ip("10.0.0.0/8")) };',
        'forbid (principal, action, resource);',
      ].join('\n'),
    );
    expect(t.scopesOf('agents', 1)).toContain('string.quoted.double.entity-id.cedar');
    expectScope(t, 'Acme::Action', 'entity.name.type.cedar');
    expectScope(t, '/workspace/', 'string.quoted.double.pattern.cedar');
    expect(t.scopesOf('containsAny')).toContain('support.function.method.cedar');
    expect(t.scopesOf('n')).toContain('support.type.property-name.cedar');
    expect(t.scopesOf('contains')).toContain('support.function.method.cedar');
    expect(t.scopesOf('isInRange')).toContain('support.function.method.cedar');
    expect(t.scopesOf('forbid')).toContain('keyword.other.effect.cedar');
    expectNoScope(t, 'forbid', 'meta.condition');
  });

  it('does not let a stray "when" swallow the rest of the file', async () => {
    const t = await cedar('when context.x\npermit (principal, action, resource);');
    expect(t.scopesOf('permit')).toContain('keyword.other.effect.cedar');
    expectNoScope(t, 'permit', 'meta.condition');
  });
});

describe('cedarschema grammar', () => {
  it('scopes the namespace keyword and a namespaced name', async () => {
    const t = await schema('namespace Acme::Agents {\n}');
    expect(t.scopesOf('namespace')).toContain('storage.type.namespace.cedarschema');
    expectScope(t, 'Acme::Agents', 'entity.name.namespace.cedarschema');
  });

  it('scopes entity User in [Group] { name: String };', async () => {
    const t = await schema('entity User in [Group] { name: String };');
    expect(t.scopesOf('entity')).toContain('storage.type.entity.cedarschema');
    expect(t.scopesOf('User')).toContain('entity.name.type.entity.cedarschema');
    expect(t.scopesOf('in')).toContain('keyword.other.cedarschema');
    expect(t.scopesOf('Group')).toContain('entity.name.type.cedarschema');
    expect(t.scopesOf('name')).toContain('variable.other.property.cedarschema');
    expect(t.scopesOf('String')).toContain('support.type.primitive.cedarschema');
    expect(t.scopesOf(';')).toContain('punctuation.terminator.statement.cedarschema');
  });

  it('scopes each name of a multi-entity declaration and namespaced parents', async () => {
    const t = await schema('entity Group, Team in [Org::Unit];');
    expect(t.scopesOf('Group')).toContain('entity.name.type.entity.cedarschema');
    expect(t.scopesOf('Team')).toContain('entity.name.type.entity.cedarschema');
    expectScope(t, 'Org::Unit', 'entity.name.type.cedarschema');
  });

  it('scopes primitive, Set and extension types', async () => {
    const t = await schema(
      'type T = { a: String, b: Long, c: Bool, d: Boolean, e: Set<Long>, f: ipaddr, g: decimal, h: datetime, i: duration, j: __cedar::String };',
    );
    expect(t.scopesOf('type')).toContain('storage.type.type.cedarschema');
    expect(t.scopesOf('T')).toContain('entity.name.type.alias.cedarschema');
    for (const p of ['Long', 'Bool', 'Boolean']) {
      expect(
        t.find(`: ${p}`).some((tok) => tok.text === p && tok.scopes.includes('support.type.primitive.cedarschema')),
        p,
      ).toBe(true);
    }
    expect(t.scopesOf('Set')).toContain('support.type.set.cedarschema');
    expect(t.scopesOf('<')).toContain('punctuation.definition.typeparameters.begin.cedarschema');
    expect(t.scopesOf('>')).toContain('punctuation.definition.typeparameters.end.cedarschema');
    for (const ext of ['ipaddr', 'decimal', 'datetime', 'duration']) {
      expect(t.scopesOf(ext)).toContain('support.type.extension.cedarschema');
    }
    expect(t.scopesOf('String', 1)).toContain('support.type.primitive.cedarschema');
  });

  it('scopes optional attributes name?: and quoted attribute names', async () => {
    const t = await schema('entity User = { nick?: String, "display name"?: String };');
    expect(t.scopesOf('nick')).toContain('variable.other.property.cedarschema');
    expect(t.scopesOf('?', 0)).toContain('keyword.operator.optional.cedarschema');
    expectScope(t, 'display name', 'variable.other.property.cedarschema');
    expect(t.scopesOf('?', 1)).toContain('keyword.operator.optional.cedarschema');
  });

  it('keeps attributes named like keywords as attributes', async () => {
    const t = await schema('entity Doc { type: String, entity: Long, in: Bool, action: String };');
    for (const attr of ['type', 'in', 'action']) {
      expect(t.scopesOf(attr)).toContain('variable.other.property.cedarschema');
    }
    expect(t.scopesOf('entity', 1)).toContain('variable.other.property.cedarschema');
  });

  it('scopes action declarations: quoted names, bare names, parents and appliesTo', async () => {
    const t = await schema(
      [
        'action "read_file", list in [Action::"readAll", browse] appliesTo {',
        '  principal: [Agent, User],',
        '  resource: McpServer,',
        '  context: { path: String, meta: { size: Long } }',
        '};',
        'entity After;',
      ].join('\n'),
    );
    expect(t.scopesOf('action')).toContain('storage.type.action.cedarschema');
    expectScope(t, '"read_file"', 'string.quoted.double');
    expect(t.scopesOf('list')).toContain('entity.name.function.action.cedarschema');
    expect(t.scopesOf('browse')).toContain('entity.name.function.action.cedarschema');
    expect(t.scopesOf('Action')).toContain('entity.name.type.cedarschema');
    expect(t.scopesOf('readAll')).toContain('string.quoted.double.entity-id.cedarschema');
    expect(t.scopesOf('appliesTo')).toContain('keyword.other.cedarschema');
    for (const key of ['principal', 'resource', 'context']) {
      expect(t.scopesOf(key)).toContain('variable.language.cedarschema');
    }
    expect(t.scopesOf('Agent')).toContain('entity.name.type.cedarschema');
    expect(t.scopesOf('McpServer')).toContain('entity.name.type.cedarschema');
    expect(t.scopesOf('size')).toContain('variable.other.property.cedarschema');
    // The nested record's closing brace must not end the action early.
    expect(t.scopesOf(';')).toContain('punctuation.terminator.statement.cedarschema');
    expectScope(t, ';', 'meta.action.declaration.cedarschema');
    expect(t.scopesOf('After')).toContain('entity.name.type.entity.cedarschema');
    expectNoScope(t, 'After', 'meta.action.declaration');
  });

  it('ends an action without ";" at the closing brace of its namespace', async () => {
    const t = await schema('namespace N {\n  action view\n}\nentity E;');
    expectNoScope(t, 'E', 'meta.action.declaration');
    expect(t.scopesOf('E')).toContain('entity.name.type.entity.cedarschema');
  });

  it('scopes tags and enum', async () => {
    const t = await schema('entity Doc tags String;\nentity Color enum ["red", "green"];');
    expect(t.scopesOf('tags')).toContain('keyword.other.cedarschema');
    expect(t.scopesOf('enum')).toContain('keyword.other.cedarschema');
    expectScope(t, '"red"', 'string.quoted.double.cedarschema');
  });

  it('scopes annotations, comments and string escapes', async () => {
    const t = await schema(String.raw`// the agents
@doc("say \"hi\"")
@internal
entity Agent;`);
    expectScope(t, '// the agents', 'comment.line.double-slash.cedarschema');
    expectScope(t, '@doc', 'storage.type.annotation.cedarschema');
    expectScope(t, '@internal', 'storage.type.annotation.cedarschema');
    expect(t.scopesOf(String.raw`\"`, 0)).toContain('constant.character.escape.cedarschema');
    expect(t.scopesOf('Agent')).toContain('entity.name.type.entity.cedarschema');
  });
});

describe('markdown injection', () => {
  it('embeds cedar in a ```cedar fence', async () => {
    const t = await markdown('# Policies\n\n```cedar\npermit (principal, action, resource);\n```\n\npermit is just a word here');
    expect(t.scopesOf('cedar')).toContain('fenced_code.block.language.markdown');
    expectScope(t, 'permit', 'meta.embedded.block.cedar');
    expect(t.scopesOf('permit')).toContain('keyword.other.effect.cedar');
    expect(t.scopesOf('principal')).toContain('variable.language.cedar');
    expect(t.scopesOf('```', 1)).toContain('punctuation.definition.markdown');
    // After the closing fence the text is Markdown again.
    expectNoScope(t, 'permit', 'meta.embedded.block.cedar', 1);
    expectNoScope(t, 'permit', 'keyword', 1);
  });

  it('embeds the schema grammar in a ```cedarschema fence, not the policy grammar', async () => {
    const t = await markdown('```cedarschema\nentity User in [Group];\n```');
    expectScope(t, 'entity', 'meta.embedded.block.cedarschema');
    expectNoScope(t, 'entity', 'meta.embedded.block.cedar');
    expect(t.scopesOf('entity')).toContain('storage.type.entity.cedarschema');
    expect(t.scopesOf('User')).toContain('entity.name.type.entity.cedarschema');
  });

  it('accepts ~~~ fences, indentation and info-string attributes', async () => {
    const t = await markdown('  ~~~cedar title="policy.cedar"\n  forbid (principal, action, resource);\n  ~~~\nafter');
    expect(t.scopesOf('forbid')).toContain('keyword.other.effect.cedar');
    expectScope(t, ' title="policy.cedar"', 'fenced_code.block.language.attributes.markdown');
    expectNoScope(t, 'after', 'meta.embedded');
  });

  it('leaves other languages alone', async () => {
    const t = await markdown('```python\npermit = True\n```\n```cedarx\npermit\n```');
    expectNoScope(t, 'permit', 'meta.embedded');
    expectNoScope(t, 'permit', 'keyword');
    expectNoScope(t, 'permit', 'keyword', 1);
  });

  it('keeps multi-line cedar constructs inside the fence and closes them at the fence', async () => {
    const t = await markdown('```cedar\npermit (principal, action, resource)\nwhen { context.a == "open\n```\nplain');
    expectScope(t, 'context', 'meta.condition.body.cedar');
    expect(t.scopesOf('```', 1)).toContain('punctuation.definition.markdown');
    expectNoScope(t, 'plain', 'string');
    expectNoScope(t, 'plain', 'meta.embedded');
  });
});

describe('syntaxes folder', () => {
  const jsonFiles = fs.readdirSync(SYNTAXES_DIR).filter((f) => f.endsWith('.json'));

  it('contains the five expected files', () => {
    expect(jsonFiles.sort()).toEqual(
      [
        'cedar-markdown-injection.tmLanguage.json',
        'cedar.language-configuration.json',
        'cedar.tmLanguage.json',
        'cedarschema.language-configuration.json',
        'cedarschema.tmLanguage.json',
      ].sort(),
    );
  });

  it.each(jsonFiles)('%s is valid JSON', (file) => {
    expect(() => JSON.parse(fs.readFileSync(path.join(SYNTAXES_DIR, file), 'utf8'))).not.toThrow();
  });

  describe('every grammar regex compiles with oniguruma', () => {
    beforeAll(async () => {
      await loadOnigLib();
    });

    it('rejects a broken regex, so the check below means something', () => {
      expect(() => new oniguruma.OnigScanner(['(unclosed'])).toThrow();
    });

    it.each(Object.entries(GRAMMAR_FILES))('%s', (_scope, file) => {
      const regexes = collectRegexes(readJson(file));
      expect(regexes.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const r of regexes) {
        // end/while may refer back to begin captures; vscode-textmate substitutes them before compiling.
        const source = r.kind === 'end' || r.kind === 'while' ? r.source.replace(/\\(\d+)/g, 'x') : r.source;
        try {
          new oniguruma.OnigScanner([source]).dispose();
        } catch (e) {
          failures.push(`${r.where}: ${r.source}: ${(e as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  it('resolves every include to a repository entry or a known grammar', () => {
    for (const [scope, file] of Object.entries(GRAMMAR_FILES)) {
      const grammar = readJson(file);
      const includes: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) {
          node.forEach(walk);
        } else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (k === 'include' && typeof v === 'string') {
              includes.push(v);
            } else {
              walk(v);
            }
          }
        }
      };
      walk(grammar);
      for (const inc of includes) {
        if (inc.startsWith('#')) {
          expect(grammar.repository, `${scope}: ${inc}`).toHaveProperty([inc.slice(1)]);
        } else if (inc !== '$self' && inc !== '$base') {
          expect(Object.keys(GRAMMAR_FILES), `${scope}: ${inc}`).toContain(inc);
        }
      }
    }
  });
});

describe('package.json contributions', () => {
  const pkg = readJson(PACKAGE_JSON);
  const root = path.dirname(PACKAGE_JSON);

  it('points every grammar at an existing file with the same scopeName', () => {
    const grammars: Array<{ scopeName: string; path: string }> = pkg.contributes.grammars;
    expect(grammars.map((g) => g.scopeName).sort()).toEqual(Object.keys(GRAMMAR_FILES).sort());
    for (const g of grammars) {
      const file = path.resolve(root, g.path);
      expect(file).toBe(GRAMMAR_FILES[g.scopeName]);
      expect(readJson(file).scopeName).toBe(g.scopeName);
    }
  });

  it('matches the injection grammar to injectTo and embeddedLanguages', () => {
    const contribution = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'markdown.cedar.codeblock');
    const injection = readJson(GRAMMAR_FILES['markdown.cedar.codeblock']);
    expect(injection.injectionSelector).toBe('L:text.html.markdown');
    expect(contribution.injectTo).toEqual(['text.html.markdown']);
    const text = JSON.stringify(injection);
    for (const [scope, language] of Object.entries<string>(contribution.embeddedLanguages)) {
      expect(text).toContain(`"contentName":"${scope}"`);
      expect(text).toContain(`"include":"source.${language}"`);
    }
  });

  it('points every language of its own at an existing configuration file', () => {
    const languages = pkg.contributes.languages as Array<{ id: string; configuration?: string; filenamePatterns?: string[] }>;
    for (const lang of languages.filter((l) => l.id === 'cedar' || l.id === 'cedarschema')) {
      expect(fs.existsSync(path.resolve(root, lang.configuration ?? '')), lang.id).toBe(true);
    }
    // Request tests are JSON with comments (as Cedar's corpus and the examples write them): VS
    // Code's own `jsonc` language takes them, with nothing of ours but the file pattern.
    expect(languages.filter((l) => l.id !== 'cedar' && l.id !== 'cedarschema')).toEqual([
      { id: 'jsonc', filenamePatterns: ['*.cedartests.json'] },
    ]);
  });
});

describe('language configurations', () => {
  const policyConf = readJson(path.join(SYNTAXES_DIR, 'cedar.language-configuration.json'));
  const schemaConf = readJson(path.join(SYNTAXES_DIR, 'cedarschema.language-configuration.json'));

  it('uses // for line comments in both languages', () => {
    expect(policyConf.comments).toEqual({ lineComment: '//' });
    expect(schemaConf.comments).toEqual({ lineComment: '//' });
  });

  it('pairs <> only in schemas, where "<" is never a comparison', () => {
    expect(policyConf.brackets).toEqual([
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]);
    expect(schemaConf.brackets).toEqual([
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
      ['<', '>'],
    ]);
    expect(policyConf.autoClosingPairs.map((p: { open: string }) => p.open)).not.toContain('<');
  });

  it('auto-closes and surrounds with quotes, but not inside strings and comments', () => {
    for (const conf of [policyConf, schemaConf]) {
      expect(conf.autoClosingPairs).toContainEqual({ open: '"', close: '"', notIn: ['string', 'comment'] });
      expect(conf.surroundingPairs).toContainEqual(['"', '"']);
      for (const pair of conf.brackets) {
        expect(conf.autoClosingPairs).toContainEqual({ open: pair[0], close: pair[1] });
        expect(conf.surroundingPairs).toContainEqual(pair);
      }
    }
  });

  it('splits "::" paths into segment words and keeps template slots whole', () => {
    const words = (conf: { wordPattern: string }, text: string) => text.match(new RegExp(conf.wordPattern, 'g'));
    expect(words(policyConf, 'Acme::User::"alice"')).toEqual(['Acme', 'User', 'alice']);
    expect(words(policyConf, 'principal == ?principal')).toEqual(['principal', '?principal']);
    expect(words(schemaConf, 'entity A in [__cedar::String]')).toEqual(['entity', 'A', 'in', '__cedar', 'String']);
    // VS Code loops on a word pattern that matches the empty string.
    expect(new RegExp(policyConf.wordPattern).test('')).toBe(false);
    expect(new RegExp(schemaConf.wordPattern).test('')).toBe(false);
  });

  it('indents after an open brace, bracket or paren and outdents on the closer', () => {
    for (const conf of [policyConf, schemaConf]) {
      const increase = new RegExp(conf.indentationRules.increaseIndentPattern);
      const decrease = new RegExp(conf.indentationRules.decreaseIndentPattern);
      for (const line of ['permit (', 'when {', '  action in [', 'namespace Acme {']) {
        expect(increase.test(line), line).toBe(true);
      }
      for (const line of ['when { true };', '// open {', 'context.tags == ["{"]']) {
        expect(increase.test(line), line).toBe(false);
      }
      for (const line of ['}', '  );', ']']) {
        expect(decrease.test(line), line).toBe(true);
      }
      expect(decrease.test('  principal,')).toBe(false);
    }
  });

  it('folds on // region markers', () => {
    for (const conf of [policyConf, schemaConf]) {
      expect(new RegExp(conf.folding.markers.start).test('// #region agents')).toBe(true);
      expect(new RegExp(conf.folding.markers.end).test('  // #endregion')).toBe(true);
    }
  });
});
