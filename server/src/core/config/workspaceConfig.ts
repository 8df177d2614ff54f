import { isAbsolute, join } from 'node:path';
import type { Engine } from '../engine';
import { type GovernanceOptions, governanceOptions } from '../governance/options';
import { DEFAULT_READ_ONLY_VERBS, DEFAULT_RISK_KEYWORDS, type RiskOptions } from '../tools/risk';
import type { WorkspaceInputs } from '../workspace/inputs';
import { isInside } from '../workspace/paths';
import type { SettingsStore } from '../workspace/settingsStore';
import { type AgentgovConfig, type ConfigFileModel, EMPTY_CONFIG, readConfig } from './readConfig';

/** What applies to one workspace folder: its configuration file (if any) and the settings, resolved. */
export interface FolderConfig {
  root: string;
  /** The configuration file in effect (`.agentgov/config.yaml`, else `.yml`). */
  file?: string;
  config: AgentgovConfig;
  /** Absolute folder of the workspace rules. */
  rulesDir: string;
  governance: GovernanceOptions;
}

const CONFIG_NAMES = ['.agentgov/config.yaml', '.agentgov/config.yml'];

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameList = (a: string[], b: string[]) => a.join('\n') === b.join('\n');

/**
 * Each workspace folder's governance configuration as engine queries: its
 * `.agentgov/config.yaml` read once per revision, what it and the settings resolve to (cut off
 * when equal, so an edit to a comment recomputes nothing downstream), and which `.cedar` files
 * are the folder's **rule files** rather than workspace policies.
 */
export class WorkspaceConfig {
  private readonly configFile: (path: string) => ConfigFileModel;
  private readonly folder: (root: string) => FolderConfig;
  private readonly risk: (root: string) => RiskOptions;
  private readonly policies: (arg: string) => string[];
  private readonly rules: (root: string) => string[];

  constructor(
    engine: Engine,
    private readonly inputs: WorkspaceInputs,
    private readonly settings: SettingsStore,
  ) {
    this.configFile = engine.define('agentgovConfigFile', (path) => {
      const e = inputs.file(path);
      return readConfig(path, e?.kind === 'config' ? e.text : '');
    });
    this.folder = engine.define('folderConfig', (root) => this.resolve(root), { equals: sameJson });
    this.risk = engine.define('folderRisk', (root) => riskOptionsOf(this.folder(root).config), { equals: sameJson });
    this.policies = engine.define('workspacePolicyFiles', () => inputs.paths('policy').filter((p) => !this.isRuleFile(p)), {
      equals: sameList,
      budget: 2,
    });
    this.rules = engine.define('ruleFiles', (root) => inputs.paths('policy').filter((p) => this.isRuleFileOf(root, p)), {
      equals: sameList,
    });
  }

  /** The workspace folder holding a path ('' outside every folder). */
  rootOf(path: string): string {
    return this.settings.rootOf(path) ?? '';
  }

  /** The configuration of the folder holding `path`. */
  folderOf(path: string): FolderConfig {
    return this.folder(this.rootOf(path));
  }

  folderConfig(root: string): FolderConfig {
    return this.folder(root);
  }

  /** The risk keyword lists for tools of the folder holding `path` (one object while they stay the same). */
  riskOptionsFor(path: string): RiskOptions {
    return this.risk(this.rootOf(path));
  }

  /** A configuration file as read (undefined for a path that is not one). */
  configModel(path: string): ConfigFileModel | undefined {
    return this.inputs.file(path)?.kind === 'config' ? this.configFile(path) : undefined;
  }

  /** A `.cedar` file under its folder's rules path: a rule over the governance facts, not a policy. */
  isRuleFile(path: string): boolean {
    const root = this.settings.rootOf(path);
    return root !== undefined && this.isRuleFileOf(root, path);
  }

  /** The policy files of the workspace: every `.cedar` file but the rule files. */
  policyFiles(): string[] {
    return this.policies('');
  }

  /** The rule files of one workspace folder, sorted. */
  ruleFiles(root: string): string[] {
    return this.rules(root);
  }

  private isRuleFileOf(root: string, path: string): boolean {
    if (this.settings.rootOf(path) !== root) return false;
    const dir = this.folder(root).rulesDir;
    // A rules path outside the folder names no rule file of it (`/` would make every policy one).
    return (dir === root || isInside(root, dir)) && isInside(dir, path);
  }

  private resolve(root: string): FolderConfig {
    const file = root ? CONFIG_NAMES.map((n) => join(root, n)).find((p) => this.inputs.file(p)?.kind === 'config') : undefined;
    const config = file ? this.configFile(file).config : EMPTY_CONFIG;
    const rulesPath = config.rulesPath ?? this.settings.settingsFor(root).rulesPath;
    return {
      root,
      ...(file ? { file } : {}),
      config,
      rulesDir: isAbsolute(rulesPath) ? rulesPath : join(root, rulesPath),
      governance: governanceOptions(config.maxCredentialTtl),
    };
  }
}

/**
 * The configured lists join the defaults (a workspace that adds `wire` still has `delete`), or
 * replace them with `replaceDefaults: true`.
 */
export function riskOptionsOf(config: AgentgovConfig): RiskOptions {
  const merge = (defaults: readonly string[], own: string[] | undefined) =>
    config.replaceDefaults ? (own ?? []) : own?.length ? [...new Set([...defaults, ...own])] : defaults;
  return {
    keywords: merge(DEFAULT_RISK_KEYWORDS, config.highRiskKeywords),
    readOnlyVerbs: merge(DEFAULT_READ_ONLY_VERBS, config.readOnlyVerbs),
  };
}
