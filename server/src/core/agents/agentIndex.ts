import { dirname, join } from 'node:path';
import { parseBinding } from '../bindings';
import type { AgentBinding, ToolRef } from '../bindings/model';
import { Engine } from '../engine';
import { perObject } from '../engine/memo';
import { discoverTools } from '../tools';
import { toolFileKind } from '../tools/fileKind';
import { parseMcpConfig } from '../tools/mcpConfig';
import type { McpConfig } from '../tools/mcpConfigModel';
import type { DiscoveryProblem, SecretLiteral, ToolDefinition } from '../tools/model';
import { assessRisk, type RiskAssessment, type RiskLevel, type RiskOptions } from '../tools/risk';
import type { WorkspaceInputs } from '../workspace/inputs';

/** A tool as the workspace sees it: its definition, its resolved server and its risk class. */
export interface WorkspaceTool extends ToolDefinition {
  /** The server, falling back to the nearest package.json name for TypeScript MCP tools (SPEC §11). */
  server?: string;
  risk: RiskAssessment;
}

/** Read-only view of the workspace's agents, tools and bindings, for findings and editor features. */
export type AgentView = Pick<
  AgentIndex,
  'tools' | 'bindings' | 'binding' | 'mcpConfigs' | 'resolve' | 'agentsOf' | 'fileProblems'
>;

type ToolFile = { tools: ToolDefinition[]; problems: DiscoveryProblem[]; secrets?: SecretLiteral[] };
type BindingFile = { binding?: AgentBinding; problems: DiscoveryProblem[] };
type ConfigFile = { config: McpConfig; problems: DiscoveryProblem[] };

const NO_PROBLEMS: ToolFile = { tools: [], problems: [] };

function resolveIn(tools: WorkspaceTool[], ref: Pick<ToolRef, 'tool' | 'server'>): WorkspaceTool[] {
  const named = byNameOf(tools).get(ref.tool) ?? [];
  return ref.server ? named.filter((t) => t.server === ref.server) : [...named];
}

function agentsIn(bindings: AgentBinding[], tool: WorkspaceTool): AgentBinding[] {
  const listing = listedByNameOf(bindings).get(tool.name);
  if (!listing) return [];
  return [...new Set(listing.filter((l) => !l.server || l.server === tool.server).map((l) => l.binding))];
}

/**
 * Each tool name with the bindings that list it, made once per binding list: the rules ask it
 * of every tool (1,000 tools × 100 bindings of 12 entries was 5 ms of every edit).
 */
const listedByNameOf = perObject((bindings: AgentBinding[]) => {
  const map = new Map<string, { binding: AgentBinding; server?: string }[]>();
  for (const b of bindings)
    for (const r of b.tools) {
      const list = map.get(r.tool);
      const entry = { binding: b, server: r.server };
      if (list) list.push(entry);
      else map.set(r.tool, [entry]);
    }
  return map;
});

/** Same elements, by identity (unchanged files keep their parsed objects). */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const byName = new WeakMap<WorkspaceTool[], Map<string, WorkspaceTool[]>>();

/** Tools with a known name by name, made once per tool list (every binding entry asks). */
function byNameOf(tools: WorkspaceTool[]): Map<string, WorkspaceTool[]> {
  let map = byName.get(tools);
  if (map) return map;
  map = new Map();
  for (const t of tools) if (t.nameKnown) map.set(t.name, [...(map.get(t.name) ?? []), t]);
  byName.set(tools, map);
  return map;
}

/**
 * Risk without a binding's override, by definition and keyword lists: a file's definitions are the
 * same objects until the file changes, and a folder's lists the same object until its
 * configuration changes them, so an edit re-assesses only the tools of the edited file.
 */
const risks = new WeakMap<ToolDefinition, { options: RiskOptions; risk: RiskAssessment }>();
function defaultRisk(t: ToolDefinition, options: RiskOptions): RiskAssessment {
  const known = risks.get(t);
  if (known?.options === options) return known.risk;
  const risk = assessRisk(t, options);
  risks.set(t, { options, risk });
  return risk;
}

/** Risk with a binding's override, by definition, keyword lists and level (as `defaultRisk`). */
const overridden = new WeakMap<ToolDefinition, { options: RiskOptions; level: RiskLevel; risk: RiskAssessment }>();
function overriddenRisk(t: ToolDefinition, options: RiskOptions, level: RiskLevel): RiskAssessment {
  const known = overridden.get(t);
  if (known?.options === options && known.level === level) return known.risk;
  const risk = assessRisk(t, { ...options, override: level });
  overridden.set(t, { options, level, risk });
  return risk;
}

/**
 * The workspace tool made from a definition, kept while its server and risk are the same: an
 * edit then leaves the other files' tools the same objects, and what is derived from a tool by
 * object (its schema action, that action's hash) is not derived again for a thousand of them.
 */
const workspaceTools = new WeakMap<ToolDefinition, WorkspaceTool>();

const DEFAULT_RISK_OPTIONS: RiskOptions = {};

/** The definition each workspace tool was made from (files unchanged keep theirs). */
const origin = new WeakMap<WorkspaceTool, ToolDefinition>();

/** MCP SDK tools without a server name take their package's name. */
const takesPackageName = (t: ToolDefinition) => t.server == null && (t.source === 'mcp-sdk' || t.source === 'mcp-sdk-legacy');

/** Same tools: definitions by identity, resolved server and risk by value. */
function sameTools(a: WorkspaceTool[], b: WorkspaceTool[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, i) =>
        origin.get(t) === origin.get(b[i]) &&
        t.server === b[i].server &&
        t.risk.level === b[i].risk.level &&
        t.risk.reason === b[i].risk.reason,
    )
  );
}

/**
 * Tools, identity bindings and MCP configurations of the workspace, as engine queries: each file
 * is parsed once per revision, and the workspace lists are recomputed only when a file they
 * read changed. Nothing here executes workspace code.
 */
export class AgentIndex {
  private readonly toolFile: (path: string) => ToolFile;
  private readonly bindingFile: (path: string) => BindingFile;
  private readonly configFile: (path: string) => ConfigFile;
  private readonly allTools: (arg: string) => WorkspaceTool[];
  private readonly allBindings: (arg: string) => AgentBinding[];
  private readonly allConfigs: (arg: string) => McpConfig[];
  private readonly allToolSecrets: (arg: string) => SecretLiteral[];

  constructor(
    private readonly engine: Engine,
    private readonly inputs: WorkspaceInputs,
    /** Cedar's long calls run in workers (the server): editor features then read the last tools known. */
    private readonly preferLast = false,
    /** The risk keyword lists of the folder holding a tool file (its `.agentgov/config.yaml`). */
    private readonly riskOptionsFor: (path: string) => RiskOptions = () => DEFAULT_RISK_OPTIONS,
  ) {
    const text = (path: string) => this.inputs.file(path);
    this.toolFile = engine.define('toolFile', (path) => {
      const e = text(path);
      return e ? discoverTools([{ path, text: e.text }]) : NO_PROBLEMS;
    });
    this.bindingFile = engine.define('bindingFile', (path) => {
      const e = text(path);
      return e?.kind === 'binding' ? parseBinding(path, e.text) : { problems: [] };
    });
    this.configFile = engine.define('mcpConfigFile', (path) => parseMcpConfig(path, text(path)?.text ?? ''));
    this.allBindings = engine.define(
      'bindings',
      () =>
        this.inputs
          .paths('binding')
          .map((p) => this.bindingFile(p).binding)
          .filter((b): b is AgentBinding => !!b)
          .sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file)),
      { equals: sameItems },
    );
    this.allConfigs = engine.define('mcpConfigs', () => this.jsonFiles('mcp-config').map((p) => this.configFile(p).config), {
      equals: sameItems,
    });
    this.allTools = engine.define('tools', () => this.computeTools(), { equals: sameTools });
    this.allToolSecrets = engine.define('toolSecrets', () => this.toolFiles().flatMap((p) => this.toolFile(p).secrets ?? []), {
      equals: sameItems,
    });
  }

  /** Files that may hold tools: TypeScript, and JSON that is not a config or a Cedar file. */
  toolFiles(): string[] {
    return [...this.inputs.paths('typescript'), ...this.jsonFiles('tool-json')];
  }

  private jsonFiles(kind: 'tool-json' | 'mcp-config'): string[] {
    return this.inputs.paths('json').filter((p) => toolFileKind(p) === kind);
  }

  /** Problems found reading a tool file, a binding or an MCP config. */
  fileProblems(path: string): DiscoveryProblem[] {
    const kind = toolFileKind(path);
    if (!this.inputs.file(path)) return [];
    if (kind === 'binding') return this.bindingFile(path).problems;
    if (kind === 'mcp-config') return this.configFile(path).problems;
    if (kind === 'typescript' || kind === 'tool-json') return this.toolFile(path).problems;
    return [];
  }

  /** The tools defined in one file (unresolved), for scheduling discovery file by file. */
  toolsIn(path: string): ToolDefinition[] {
    return this.toolFile(path).tools;
  }

  bindings(): AgentBinding[] {
    return this.allBindings('');
  }

  binding(path: string): AgentBinding | undefined {
    return this.inputs.file(path)?.kind === 'binding' ? this.bindingFile(path).binding : undefined;
  }

  mcpConfigs(): McpConfig[] {
    return this.allConfigs('');
  }

  /** Every tool with a known or placeholder name, servers resolved and risk assessed. */
  tools(): WorkspaceTool[] {
    return this.allTools('');
  }

  /** Literal secrets in tool code and tool lists (AG007), masked. */
  toolSecrets(): SecretLiteral[] {
    return this.allToolSecrets('');
  }

  /** Tools a binding entry names: `server/tool` exactly, a bare name by name alone. */
  resolve(ref: Pick<ToolRef, 'tool' | 'server'>): WorkspaceTool[] {
    return resolveIn(this.tools(), ref);
  }

  /** Bindings that list a tool. */
  agentsOf(tool: WorkspaceTool): AgentBinding[] {
    return agentsIn(this.bindings(), tool);
  }

  /**
   * What editor features read (hover, completion, definition, the Governance view). With Cedar
   * workers (the server), the tools, bindings and configs last computed, even while a newer
   * check is pending: a request never runs tool discovery on the editor's thread (a burst of
   * TypeScript edits held a hover for 1.2 s), and the pending check brings them up to date. The
   * findings never read this. Without workers it is the index itself.
   */
  editorView(): AgentView {
    if (!this.preferLast) return this;
    const last = <T>(name: string, fresh: () => T) => this.engine.peek<T>(Engine.keyOf(name, '')) ?? fresh();
    const tools = () => last('tools', () => this.tools());
    const bindings = () => last('bindings', () => this.bindings());
    return {
      tools,
      bindings,
      binding: (path) => this.binding(path),
      mcpConfigs: () => last('mcpConfigs', () => this.mcpConfigs()),
      resolve: (ref) => resolveIn(tools(), ref),
      agentsOf: (tool) => agentsIn(bindings(), tool),
      fileProblems: (path) => this.fileProblems(path),
    };
  }

  private computeTools(): WorkspaceTool[] {
    const overrides = this.bindings().flatMap((b) =>
      b.risk.map((r) => ({ tool: r.tool, server: r.server, level: r.level as RiskLevel })),
    );
    const tools: WorkspaceTool[] = [];
    for (const path of this.toolFiles()) {
      const defs = this.toolFile(path).tools;
      const pkg = defs.some(takesPackageName) ? this.packageName(path) : undefined;
      const options = defs.length ? this.riskOptionsFor(path) : DEFAULT_RISK_OPTIONS;
      for (const t of defs) {
        const server = takesPackageName(t) ? pkg : t.server;
        const override = overrides.find((o) => o.tool === t.name && (!o.server || o.server === server))?.level;
        const risk = override ? overriddenRisk(t, options, override) : defaultRisk(t, options);
        const known = workspaceTools.get(t);
        if (known && known.server === server && known.risk === risk) {
          tools.push(known);
          continue;
        }
        const tool: WorkspaceTool = { ...t, server, risk };
        origin.set(tool, t);
        workspaceTools.set(t, tool);
        tools.push(tool);
      }
    }
    return tools.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  }

  /** The `name` of the nearest package.json upward. */
  private packageName(path: string): string | undefined {
    let dir = dirname(path);
    for (;;) {
      const pkg = this.inputs.file(join(dir, 'package.json'));
      if (pkg) {
        try {
          const name = (JSON.parse(pkg.text) as { name?: unknown }).name;
          if (typeof name === 'string' && name) return name;
        } catch {
          // A broken package.json names nothing; keep looking upward.
        }
      }
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}
