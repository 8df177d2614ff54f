import { dirname, join } from 'node:path';
import { parseBinding } from '../bindings';
import type { AgentBinding, ToolRef } from '../bindings/model';
import { discoverTools } from '../tools';
import { toolFileKind } from '../tools/fileKind';
import { parseMcpConfig } from '../tools/mcpConfig';
import type { McpConfig } from '../tools/mcpConfigModel';
import type { DiscoveryProblem, ToolDefinition } from '../tools/model';
import { assessRisk, type RiskAssessment, type RiskLevel } from '../tools/risk';
import type { FileEntry, WorkspaceFiles } from '../workspace/files';

/** A tool as the workspace sees it: its definition, its resolved server and its risk class. */
export interface WorkspaceTool extends ToolDefinition {
  /** The server, falling back to the nearest package.json name for TypeScript MCP tools (SPEC §11). */
  server?: string;
  risk: RiskAssessment;
}

interface PerFile<T> {
  revision: number;
  value: T;
}

/**
 * Tools, identity bindings and MCP configurations of the workspace, each file parsed once per
 * revision. Nothing here executes workspace code.
 */
export class AgentIndex {
  private readonly toolFiles = new Map<string, PerFile<{ tools: ToolDefinition[]; problems: DiscoveryProblem[] }>>();
  private readonly bindingFiles = new Map<string, PerFile<{ binding?: AgentBinding; problems: DiscoveryProblem[] }>>();
  private readonly configFiles = new Map<string, PerFile<{ config: McpConfig; problems: DiscoveryProblem[] }>>();
  private snapshot: { key: string; tools: WorkspaceTool[] } | undefined;

  constructor(private readonly files: WorkspaceFiles) {}

  /** Files that may hold tools, bindings or MCP configs. */
  agentFiles(): FileEntry[] {
    return this.files.all().filter((e) => e.kind === 'typescript' || e.kind === 'json' || e.kind === 'binding');
  }

  fileProblems(path: string): DiscoveryProblem[] {
    const e = this.files.get(path);
    if (!e) return [];
    const kind = toolFileKind(path);
    if (kind === 'binding') return this.bindingOf(e).problems;
    if (kind === 'mcp-config') return this.configOf(e).problems;
    if (kind === 'typescript' || kind === 'tool-json') return this.toolsOf(e).problems;
    return [];
  }

  bindings(): AgentBinding[] {
    return this.files
      .all('binding')
      .map((e) => this.bindingOf(e).binding)
      .filter((b): b is AgentBinding => !!b)
      .sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  }

  binding(path: string): AgentBinding | undefined {
    const e = this.files.get(path);
    return e?.kind === 'binding' ? this.bindingOf(e).binding : undefined;
  }

  mcpConfigs(): McpConfig[] {
    return this.files
      .all('json')
      .filter((e) => toolFileKind(e.path) === 'mcp-config')
      .map((e) => this.configOf(e).config);
  }

  /** Changes whenever a file that may hold tools, bindings or configs changes. */
  revisionKey(): string {
    return this.agentFiles()
      .map((e) => `${e.path}@${e.revision}`)
      .join('|');
  }

  /** Every tool with a known or placeholder name, servers resolved and risk assessed. */
  tools(): WorkspaceTool[] {
    const sources = this.agentFiles();
    const key = this.revisionKey();
    if (this.snapshot?.key === key) return this.snapshot.tools;
    const overrides = this.riskOverrides();
    const tools: WorkspaceTool[] = [];
    for (const e of sources) {
      const kind = toolFileKind(e.path);
      if (kind !== 'typescript' && kind !== 'tool-json') continue;
      for (const t of this.toolsOf(e).tools) {
        const server = t.server ?? (t.source === 'mcp-sdk' || t.source === 'mcp-sdk-legacy' ? this.packageName(e.path) : undefined);
        const override = overrides.find((o) => o.tool === t.name && (!o.server || o.server === server))?.level;
        tools.push({ ...t, server, risk: assessRisk(t, override ? { override } : {}) });
      }
    }
    tools.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
    this.snapshot = { key, tools };
    return tools;
  }

  /** Tools a binding entry names: `server/tool` exactly, a bare name by name alone. */
  resolve(ref: Pick<ToolRef, 'tool' | 'server'>): WorkspaceTool[] {
    return this.tools().filter((t) => t.nameKnown && t.name === ref.tool && (!ref.server || t.server === ref.server));
  }

  /** Bindings that list a tool. */
  agentsOf(tool: WorkspaceTool): AgentBinding[] {
    return this.bindings().filter((b) => b.tools.some((r) => r.tool === tool.name && (!r.server || r.server === tool.server)));
  }

  private riskOverrides(): { tool: string; server?: string; level: RiskLevel }[] {
    return this.bindings().flatMap((b) => b.risk.map((r) => ({ tool: r.tool, server: r.server, level: r.level })));
  }

  /** The `name` of the nearest package.json upward. */
  private packageName(path: string): string | undefined {
    let dir = dirname(path);
    for (;;) {
      const pkg = this.files.get(join(dir, 'package.json'));
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

  private toolsOf(e: FileEntry) {
    return cached(this.toolFiles, e, () => discoverTools([{ path: e.path, text: e.text }]));
  }

  private bindingOf(e: FileEntry) {
    return cached(this.bindingFiles, e, () => parseBinding(e.path, e.text));
  }

  private configOf(e: FileEntry) {
    return cached(this.configFiles, e, () => parseMcpConfig(e.path, e.text));
  }
}

function cached<T>(map: Map<string, PerFile<T>>, e: FileEntry, make: () => T): T {
  const hit = map.get(e.path);
  if (hit?.revision === e.revision) return hit.value;
  const value = make();
  map.set(e.path, { revision: e.revision, value });
  return value;
}
