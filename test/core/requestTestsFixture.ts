// A small shop workspace for the request test suites: a schema, two policy files, entities, and
// a way to run a test file's text against them (in memory, the same engine as `agentgov test`).
import { fileSystemHost, prepareTestFile, runTestFile, type RunOptions } from '../../server/src/core/requestTests';
import { memoryFileSystem } from '../../server/src/core/workspace/fileSystem';

export const SHOP_SCHEMA = `namespace Shop {
  entity Team;
  entity Agent in [Team] { tier: Long, big?: Long };
  entity Server;
  action "refund" appliesTo { principal: Agent, resource: Server, context: { amount: Long, approved?: Bool } };
  action "read" appliesTo { principal: Agent, resource: Server, context: {} };
}
`;

export const SHOP_POLICIES = `@id("small-refunds")
permit (principal, action == Shop::Action::"refund", resource) when { context.amount <= 100 };

// policy1: no @id
forbid (principal, action == Shop::Action::"refund", resource)
when { context.amount > 50 }
unless { context has approved && context.approved };

@id("tier-reads")
permit (principal, action == Shop::Action::"read", resource) when { principal.tier >= 2 };

@id("never")
permit (principal, action == Shop::Action::"read", resource) when { principal.tier > 99 };
`;

/** `big-tier` errors for an agent without `big`; the second statement is `policy1` here too. */
export const ERROR_POLICIES = `@id("big-tier")
permit (principal, action == Shop::Action::"read", resource) when { principal.big > 5 };

permit (principal == Shop::Agent::"nobody", action, resource);
`;

export const SHOP_ENTITIES = `[
  { "uid": { "type": "Shop::Team", "id": "t" }, "attrs": {}, "parents": [] },
  { "uid": { "type": "Shop::Agent", "id": "a" }, "attrs": { "tier": 3 }, "parents": [{ "type": "Shop::Team", "id": "t" }] },
  { "uid": { "type": "Shop::Agent", "id": "b" }, "attrs": { "tier": 1 }, "parents": [] },
  { "uid": { "type": "Shop::Server", "id": "s" }, "attrs": {}, "parents": [] }
]`;

export const ROOT = '/ws';
export const TEST_FILE = '/ws/tests/shop.cedartests.json';

export const SHOP_FILES: Record<string, string> = {
  '/ws/shop.cedarschema': SHOP_SCHEMA,
  '/ws/policies/shop.cedar': SHOP_POLICIES,
  '/ws/policies/errors.cedar': ERROR_POLICIES,
  '/ws/shop.cedarentities.json': SHOP_ENTITIES,
};

/** One request as a test writes it (agent `a` by default, on server `s`). */
export function request(
  action: string,
  context: Record<string, unknown>,
  decision: 'allow' | 'deny',
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    description: `${action} ${JSON.stringify(context)}`,
    principal: { type: 'Shop::Agent', id: 'a' },
    action: { type: 'Shop::Action', id: action },
    resource: { type: 'Shop::Server', id: 's' },
    context,
    decision,
    ...more,
  };
}

/** A test file's text over the shop workspace, with `fields` overriding its keys. */
export function shopTest(requests: unknown[], fields: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      policies: 'policies/shop.cedar',
      entities: 'shop.cedarentities.json',
      schema: 'shop.cedarschema',
      requests,
      ...fields,
    },
    null,
    2,
  );
}

const display = (p: string) => (p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p);

/** The in-memory host over the shop files and the test file's text (and `extra` files). */
export function shopHost(testText: string, extra: Record<string, string> = {}) {
  return fileSystemHost(memoryFileSystem({ ...SHOP_FILES, ...extra, [TEST_FILE]: testText }), display);
}

/** Runs a test file's text against the shop workspace. */
export function runShop(testText: string, options: RunOptions = {}, extra: Record<string, string> = {}) {
  return runTestFile(TEST_FILE, ROOT, shopHost(testText, extra), options);
}

/** Reads a test file's text and what it names, without running a request. */
export function prepareShop(testText: string, extra: Record<string, string> = {}) {
  return prepareTestFile(TEST_FILE, ROOT, shopHost(testText, extra));
}
