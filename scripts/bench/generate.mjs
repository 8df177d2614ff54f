#!/usr/bin/env node
// Deterministic benchmark workspace generator (seeded PRNG; same seed → same bytes).
//
//   node scripts/bench/generate.mjs [--variant declared|derived|both] [--out <folder>] [--seed N]
//
// Writes a workspace with a Cedar schema, 1,000 tools (500 MCP TypeScript SDK tools in 100
// files, 500 in 100 MCP tool-list JSON files), 2,000 policies in 200 `.cedar` files and 100
// identity bindings, in two variants:
//   declared: the schema declares the 1,000 tool actions (namespace Acme, in 20 action groups);
//   derived:  the schema declares only entity types, and the language server derives one action
//             per tool (empty namespace, principal from the bindings, resource Acme::McpServer).
// Next to each workspace folder it writes `<folder>.meta.json` (what the harness needs to know:
// every checked file, the edit targets, the deliberate errors) and, for `derived`, an
// `<folder>.equivalent.cedarschema`: the schema text the server ends up validating against
// (entity types + the derived tool actions), for the bare cedar-wasm baseline.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NS = 'Acme';
export const TOOLS = 1000;
export const TS_TOOLS = 500;
export const TOOLS_PER_FILE = 5;
export const POLICY_FILES = 200;
export const POLICIES_PER_FILE = 10;
export const AGENTS = 100;
export const GROUPS = 20;
/** The tool the input-field edit adds `note` to, the file it lives in, and the policy file referencing `context.input.note`. */
export const EDIT_TOOL = 'tool_0000';
export const EDIT_DESCRIPTION_TOOL = 'tool_0001';
export const EDIT_TS_FILE = 'tools/ts/server_00.ts';
export const NOTE_POLICY_FILE = `policies/p${String(POLICY_FILES - 1).padStart(3, '0')}.cedar`;
export const EDIT_POLICY_FILE = 'policies/p000.cedar';
// At the workspace root: a policy uses the schema files of the nearest folder upward (the CLI has
// no schemaFile option), so `schema/platform.cedarschema` would leave every policy unvalidated.
export const SCHEMA_FILE = 'platform.cedarschema';

/** mulberry32: small, fast, deterministic. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w) => String(n).padStart(w, '0');
const toolName = (i) => `tool_${pad(i, 4)}`;
const agentName = (i) => `agent_${pad(i, 3)}`;
const groupName = (g) => `group_${pad(g, 2)}`;

const VERBS = ['get', 'list', 'create', 'update', 'search', 'export', 'sync', 'send', 'archive', 'approve'];
const NOUNS = ['invoice', 'ticket', 'deployment', 'customer record', 'report', 'payment', 'message', 'order', 'dataset', 'build'];
const LONG_NAMES = ['amount', 'limit', 'count', 'size'];
const STRING_NAMES = ['account', 'query', 'target', 'region'];
const EXTRAS = [
  { name: 'to', type: 'string', required: false },
  { name: 'dryRun', type: 'boolean', required: true },
  { name: 'priority', type: 'number', required: false },
  { name: 'tags', type: 'array', required: true },
  { name: 'currency', type: 'string', required: true },
];

/** The model of the whole workspace: tools with their inputs, agents with their tools. */
export function model(seed = 20261201) {
  const rnd = prng(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const tools = [];
  for (let i = 0; i < TOOLS; i++) {
    const fields = [
      { name: pick(LONG_NAMES), type: 'number', required: true },
      { name: pick(STRING_NAMES), type: 'string', required: true },
    ];
    const extras = int(0, 2);
    const pool = [...EXTRAS];
    for (let k = 0; k < extras; k++) fields.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
    const ts = i < TS_TOOLS;
    const fileNo = Math.floor((ts ? i : i - TS_TOOLS) / TOOLS_PER_FILE);
    tools.push({
      index: i,
      name: toolName(i),
      description: `${pick(VERBS)} ${pick(NOUNS)} (${toolName(i)})`,
      fields,
      group: int(0, GROUPS - 1),
      ts,
      server: ts ? `srv_${pad(fileNo, 2)}` : `jsrv_${pad(fileNo, 2)}`,
      file: ts ? `tools/ts/server_${pad(fileNo, 2)}.ts` : `tools/json/server_${pad(fileNo, 2)}.tools.json`,
    });
  }
  const agents = [];
  for (let a = 0; a < AGENTS; a++) {
    const set = new Set();
    const n = int(8, 12);
    while (set.size < n) set.add(int(0, TOOLS - 1));
    agents.push({
      index: a,
      name: agentName(a),
      team: `team_${pad(a % 10, 2)}`,
      level: int(1, 5),
      tools: [...set].sort((x, y) => x - y).map((i) => tools[i]),
    });
  }
  return { rnd, pick, int, tools, agents };
}

// ---------------------------------------------------------------- schema

function cedarFieldType(f) {
  switch (f.type) {
    case 'number':
      return 'Long';
    case 'string':
      return 'String';
    case 'boolean':
      return 'Bool';
    case 'array':
      return 'Set<String>';
  }
  throw new Error(f.type);
}

const inputRecord = (fields) => `{ ${fields.map((f) => `${f.name}${f.required ? '' : '?'}: ${cedarFieldType(f)}`).join(', ')} }`;

function entityTypes() {
  return [
    '  // People own agents and approve their risky tool calls.',
    '  entity Team;',
    '  entity User in [Team] { email: String, department: String };',
    '',
    '  @doc("An AI agent with its own workload identity")',
    '  entity Agent in [Team] { team: String, level: Long };',
    '',
    '  // The resource of a tool call is the MCP server hosting the tool.',
    '  entity McpServer { vendor: String, trusted: Bool };',
    '',
    '  type Approval = { granted: Bool, approver?: String };',
  ];
}

function declaredSchema(m) {
  const out = [
    '// Generated by scripts/bench/generate.mjs (declared variant): every tool is a declared action.',
    `namespace ${NS} {`,
    ...entityTypes(),
    '',
  ];
  for (let g = 0; g < GROUPS; g++) out.push(`  action "${groupName(g)}";`);
  out.push('');
  for (const t of m.tools) {
    out.push(
      `  action "${t.name}" in ["${groupName(t.group)}"] appliesTo {`,
      '    principal: [Agent],',
      '    resource: [McpServer],',
      `    context: { input: ${inputRecord(t.fields)}, approval?: Approval },`,
      '  };',
    );
  }
  out.push('}', '');
  return out.join('\n');
}

function derivedSchema() {
  return [
    '// Generated by scripts/bench/generate.mjs (derived variant): no tool actions; the language',
    "// server derives one action per tool from the tools' input schemas.",
    `namespace ${NS} {`,
    ...entityTypes(),
    '',
    '  action "view_dashboard" appliesTo { principal: [User], resource: [Team] };',
    '  action "rotate_credentials" appliesTo { principal: [User], resource: [Agent] };',
    '}',
    '',
  ].join('\n');
}

/** What the server validates against in the derived variant: the entity types plus the derived tool actions (empty namespace). */
function derivedEquivalentSchema(m) {
  const out = [derivedSchema()];
  out.push('// The derived tool actions, as the server derives them (derivedSchema.ts): empty namespace,');
  out.push(`// principal ${NS}::Agent (from the bindings), resource ${NS}::McpServer, context.input from the tool.`);
  for (const t of m.tools) {
    out.push(
      `action "${t.name}" appliesTo { principal: [${NS}::Agent], resource: [${NS}::McpServer], context: { input: ${inputRecord(t.fields)}, approval?: { granted: Bool, approver?: String } } };`,
    );
  }
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------- tools

function zodOf(f) {
  const base = { number: 'z.number()', string: 'z.string()', boolean: 'z.boolean()', array: 'z.array(z.string())' }[f.type];
  return f.required ? base : `${base}.optional()`;
}

function tsFile(server, tools) {
  const out = [
    '// Generated by scripts/bench/generate.mjs.',
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { z } from 'zod';",
    '',
    `const server = new McpServer({ name: '${server}', version: '1.0.0' });`,
    '',
  ];
  for (const t of tools) {
    out.push(
      'server.registerTool(',
      `  '${t.name}',`,
      '  {',
      `    description: '${t.description}',`,
      `    inputSchema: { ${t.fields.map((f) => `${f.name}: ${zodOf(f)}`).join(', ')} },`,
      '  },',
      "  async (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),",
      ');',
      '',
    );
  }
  return out.join('\n');
}

function jsonSchemaOf(f) {
  return {
    number: { type: 'integer' },
    string: { type: 'string' },
    boolean: { type: 'boolean' },
    array: { type: 'array', items: { type: 'string' } },
  }[f.type];
}

function jsonFile(server, tools) {
  return (
    JSON.stringify(
      {
        server,
        tools: tools.map((t) => ({
          name: t.name,
          description: t.description,
          inputSchema: {
            type: 'object',
            properties: Object.fromEntries(t.fields.map((f) => [f.name, jsonSchemaOf(f)])),
            required: t.fields.filter((f) => f.required).map((f) => f.name),
          },
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

function bindingFile(a) {
  return [
    `# Generated by scripts/bench/generate.mjs.`,
    `name: ${a.name}`,
    `description: Benchmark agent ${a.index} of ${a.team}`,
    `principal: ${NS}::Agent::"${a.name}"`,
    'identity:',
    '  type: workload',
    `  id: spiffe://acme.example/agents/${a.name}`,
    'environment: production',
    'credentials:',
    `  - name: api-${a.name}`,
    '    type: jit-token',
    '    ttl: 15m',
    '    revokeOnTaskEnd: true',
    'tools:',
    ...a.tools.map((t) => `  - ${t.server}/${t.name}`),
    'audit:',
    '  sink: otel://collector.acme.example:4317',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- policies

/** A condition on one of the tool's input fields that type-checks. */
function condition(f, rnd) {
  const v = `context.input.${f.name}`;
  const guard = (e) => (f.required ? e : `context.input has ${f.name} && ${e}`);
  switch (f.type) {
    case 'number':
      return guard(`${v} ${rnd() < 0.5 ? '<=' : '<'} ${100 * (1 + Math.floor(rnd() * 50))}`);
    case 'string':
      return guard(rnd() < 0.5 ? `${v} like "acct-*"` : `${v} == "eu-west-${Math.floor(rnd() * 3)}"`);
    case 'boolean':
      return guard(rnd() < 0.5 ? `!${v}` : `${v} == false`);
    case 'array':
      return guard(`${v}.contains("prod")`);
  }
  throw new Error(f.type);
}

/** A deliberate type error on the tool's first field (a Long): `like` needs a String. */
const typeError = (t) => `context.input.${t.fields[0].name} like "x*"`;

function policies(m, variant) {
  const { rnd, pick, int, tools, agents } = m;
  const act = (t) => (variant === 'declared' ? `${NS}::Action::"${t.name}"` : `Action::"${t.name}"`);
  const files = [];
  const errors = [];
  let bare = 0;
  for (let fi = 0; fi < POLICY_FILES; fi++) {
    const out = [`// Generated by scripts/bench/generate.mjs (${variant}).`, ''];
    for (let k = 0; k < POLICIES_PER_FILE; k++) {
      const n = fi * POLICIES_PER_FILE + k;
      const id = `p${pad(fi, 3)}-${k}`;
      const agent = agents[(fi * 7 + k * 13) % AGENTS];
      const tool = pick(agent.tools);
      const principal = `${NS}::Agent::"${agent.name}"`;
      const lines = [`@id("${id}")`];
      const isError = n % 200 === 137; // 10 of 2,000 (0.5%)
      const isNote = variant === 'derived' && fi === POLICY_FILES - 1 && k === POLICIES_PER_FILE - 1;
      const r = rnd();
      if (isNote) {
        const t = tools.find((x) => x.name === EDIT_TOOL);
        lines.push(
          `permit (principal == ${principal}, action == ${act(t)}, resource)`,
          'when { context.input.note == "bench" };',
        );
      } else if (n % 100 === 50) {
        // ~1%: an unconstrained action.
        bare++;
        lines.push(
          `forbid (principal is ${NS}::Agent, action, resource is ${NS}::McpServer)`,
          `when { principal.level > ${int(6, 9)} };`,
        );
      } else if (r < 0.4 || isError) {
        lines.push(
          `permit (principal == ${principal}, action == ${act(tool)}, resource)`,
          `when { ${isError ? typeError(tool) : condition(pick(tool.fields), rnd)} };`,
        );
      } else if (r < 0.55) {
        const three = [...new Set([tool, pick(agent.tools), pick(agent.tools)])];
        lines.push(
          `permit (principal == ${principal}, action in [${three.map(act).join(', ')}], resource)`,
          'when { context has approval && context.approval.granted };',
        );
      } else if (r < 0.65) {
        const action =
          variant === 'declared'
            ? `action in ${NS}::Action::"${groupName(tool.group)}"`
            : `action in [${[...new Set([tool, pick(tools), pick(tools)])].map(act).join(', ')}]`;
        lines.push(`permit (principal is ${NS}::Agent, ${action}, resource)`, `when { principal.level >= ${int(2, 4)} };`);
      } else if (r < 0.8) {
        lines.push(
          `forbid (principal, action == ${act(tool)}, resource)`,
          `when { ${condition(tool.fields[0], rnd)} }`,
          'unless { context has approval && context.approval.granted };',
        );
      } else if (r < 0.9) {
        lines.push(
          `permit (principal == ${principal}, action == ${act(tool)}, resource == ${NS}::McpServer::"${tool.server}")`,
          `when { ${condition(tool.fields[1], rnd)} && resource.trusted };`,
        );
      } else {
        lines.push(
          `permit (principal in ${NS}::Team::"${agent.team}", action == ${act(tool)}, resource)`,
          `when { principal.team == "${agent.team}" && ${condition(pick(tool.fields), rnd)} };`,
        );
      }
      if (isError) errors.push({ file: `policies/p${pad(fi, 3)}.cedar`, id });
      out.push(...lines, '');
    }
    files.push({ path: `policies/p${pad(fi, 3)}.cedar`, text: out.join('\n') });
  }
  return { files, errors, bare };
}

// ---------------------------------------------------------------- write

export function generate(variant, outDir, seed = 20261201) {
  if (variant !== 'declared' && variant !== 'derived') throw new Error(`unknown variant ${variant}`);
  const m = model(seed);
  rmSync(outDir, { recursive: true, force: true });
  const files = [];
  const write = (rel, text) => {
    const p = join(outDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    files.push(rel);
  };
  write(SCHEMA_FILE, variant === 'declared' ? declaredSchema(m) : derivedSchema());
  const byFile = new Map();
  for (const t of m.tools) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  for (const [file, tools] of byFile)
    write(file, tools[0].ts ? tsFile(tools[0].server, tools) : jsonFile(tools[0].server, tools));
  for (const a of m.agents) write(`agents/${a.name}.agent.yaml`, bindingFile(a));
  const pol = policies(m, variant);
  for (const f of pol.files) write(f.path, f.text);
  const equivalent = join(dirname(outDir), `${variant}.equivalent.cedarschema`);
  if (variant === 'derived') writeFileSync(equivalent, derivedEquivalentSchema(m));
  const meta = {
    variant,
    seed,
    root: outDir,
    files: files.sort(),
    tools: m.tools.length,
    policies: POLICY_FILES * POLICIES_PER_FILE,
    policyFiles: pol.files.map((f) => f.path),
    deliberateErrors: pol.errors,
    unconstrainedActions: pol.bare,
    schemaFile: SCHEMA_FILE,
    /** The schema text the server validates the policies against. */
    validationSchema: variant === 'declared' ? join(outDir, SCHEMA_FILE) : equivalent,
    edit: {
      /** A policy with a type error that the policy-edit measurement adds to and removes from `policyFile`. */
      errorPolicy: `@id("bench-edit-error")\npermit (principal, action == ${variant === 'declared' ? `${NS}::Action` : 'Action'}::"${EDIT_TOOL}", resource)\nwhen { ${typeError(m.tools[0])} };\n`,
      policyFile: EDIT_POLICY_FILE,
      /** A binding whose credential TTL the binding-edit measurement toggles (15m, then 8h: AG006). */
      bindingFile: `agents/${m.agents[0].name}.agent.yaml`,
      tsFile: EDIT_TS_FILE,
      inputFieldTool: EDIT_TOOL,
      descriptionTool: EDIT_DESCRIPTION_TOOL,
      notePolicyFile: NOTE_POLICY_FILE,
      notePolicyPresent: variant === 'derived',
    },
  };
  writeFileSync(join(dirname(outDir), `${variant}.meta.json`), JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const variant = opt('--variant', 'both');
  const seed = Number(opt('--seed', '20261201'));
  const variants = variant === 'both' ? ['declared', 'derived'] : [variant];
  for (const v of variants) {
    const out = resolve(
      opt('--out', '') ? (variants.length > 1 ? join(opt('--out'), v) : opt('--out')) : join('.cache', 'bench', v),
    );
    const meta = generate(v, out, seed);
    process.stderr.write(
      `bench: generated ${v} workspace in ${out}: ${meta.files.length} files, ${meta.tools} tools, ${meta.policies} policies\n`,
    );
  }
}
