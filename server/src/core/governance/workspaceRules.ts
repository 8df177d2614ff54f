import { dirname } from 'node:path';
import type { CedarIndex } from '../cedar/cedarIndex';
import { cedarGateway } from '../cedar/gateway';
import { statementParseErrors } from '../cedar/policyCheck';
import { CONFIG_RULE } from '../config/readConfig';
import type { FolderConfig, WorkspaceConfig } from '../config/workspaceConfig';
import type { Engine } from '../engine';
import type { Finding } from '../findings/finding';
import { didYouMean } from '../text/didYouMean';
import { FIRST_LINE } from '../text/range';
import { isInside } from '../workspace/paths';
import { BUILT_IN_RULE_FILES, builtInRulePack, type RuleFile, RulePack } from './rulePack';

/** What the governance pass reads of the workspace's own rules and configuration, folder by folder. */
export interface GovernanceRules {
  /** The workspace folder holding a path ('' outside every folder). */
  rootOf(path: string): string;
  /** Every workspace folder. */
  roots(): readonly string[];
  /** The built-in rules plus the folder's rule files. */
  packFor(root: string): RulePack;
  folder(root: string): FolderConfig;
}

const samePack = (a: RulePack, b: RulePack) =>
  a === b ||
  (a.id === b.id &&
    JSON.stringify(a.policies) === JSON.stringify(b.policies) &&
    JSON.stringify(a.problems) === JSON.stringify(b.problems));

const sameFindings = (a: Finding[], b: Finding[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each folder's rule pack and the findings of its configuration file, as engine queries. A pack
 * reads the folder's rule files (their text, parse and validation), so an edit to one rebuilds
 * the pack and re-runs the governance pass; a pack's id is its content, so Cedar preparses a
 * pack once however often it is rebuilt the same.
 */
export class WorkspaceRules implements GovernanceRules {
  private readonly pack: (root: string) => RulePack;
  private readonly configChecks: (path: string) => Finding[];

  constructor(
    engine: Engine,
    readonly config: WorkspaceConfig,
    private readonly cedar: CedarIndex,
    private readonly folders: () => readonly string[],
  ) {
    this.pack = engine.define('rulePack', (root) => this.buildPack(root), { equals: samePack, budget: 64 });
    this.configChecks = engine.define('configFindings', (path) => this.checkConfig(path), { equals: sameFindings });
  }

  rootOf(path: string): string {
    return this.config.rootOf(path);
  }

  roots(): readonly string[] {
    return this.folders();
  }

  packFor(root: string): RulePack {
    return this.pack(root);
  }

  /** The rule pack of the folder holding `path` (completion and hover in its configuration). */
  packOf(path: string): RulePack {
    return this.pack(this.rootOf(path));
  }

  folder(root: string): FolderConfig {
    return this.config.folderConfig(root);
  }

  /** The findings of a `.agentgov/config.yaml`: what cannot be read, and rule ids no rule has. */
  configFindings(path: string): Finding[] {
    return this.configChecks(path);
  }

  private buildPack(root: string): RulePack {
    const files = this.config.ruleFiles(root);
    if (!files.length) return builtInRulePack();
    const own = files.flatMap((file): RuleFile[] => {
      const model = this.cedar.policyModel(file);
      if (!model) return [];
      // A rule Cedar rejects against the facts schema would fail for every subject (or the whole
      // pack, for a parse error): it stays out, and its file's Cedar findings say why.
      const invalid = new Set(
        this.cedar
          .validationFindings(file)
          .filter((f) => f.ruleId === 'cedar-validation')
          .map((f) => f.policy),
      );
      return [
        {
          file,
          text: model.text,
          builtIn: false,
          model,
          usable: (s) => !statementParseErrors(s).length && !invalid.has(s.id),
        },
      ];
    });
    const builtIn = Object.entries(BUILT_IN_RULE_FILES).map(([file, text]) => ({ file, text, builtIn: true }));
    const pack = new RulePack([...builtIn, ...own]);
    const failure = cedarGateway.preparsePolicySet(
      pack.id,
      pack.policies.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false })),
    );
    if (!failure.length) return pack;
    // What Cedar accepted alone but not together must not cost the built-in rules: they judge
    // alone, and each rule file says why its rules do not.
    const fallback = new RulePack(builtIn);
    fallback.problems.push(
      ...pack.problems,
      ...files.map((file) => ({
        ruleId: 'agentgov-rules',
        severity: 'error' as const,
        message: `The workspace rules could not be loaded into Cedar (${failure.map((e) => e.message).join('; ')}): only the built-in rules apply.`,
        file,
        range: FIRST_LINE,
      })),
    );
    return fallback;
  }

  private checkConfig(path: string): Finding[] {
    const model = this.config.configModel(path);
    if (!model) return [];
    const root = this.rootOf(path);
    const folder = this.folder(root);
    const out = [...model.problems];
    if (folder.file !== path) {
      const message =
        root && dirname(dirname(path)) === root
          ? `This file is not read: \`${folder.file ? folder.file.slice(root.length + 1) : '.agentgov/config.yaml'}\` of this workspace folder is used instead.`
          : 'This file is not read: only the `.agentgov/config.yaml` at the top of a workspace folder applies.';
      out.push({ ruleId: CONFIG_RULE, severity: 'warning', message, file: path, range: FIRST_LINE });
    }
    const known = this.pack(root)
      .rules()
      .map((r) => r.ruleId);
    for (const r of model.rules) {
      if (known.includes(r.id)) continue;
      const guess = sameNumber(r.id, known) ?? didYouMean(r.id, known, { maxDistance: 2, ignoreCase: true });
      out.push({
        ruleId: CONFIG_RULE,
        severity: 'warning',
        message: `Unknown rule \`${r.id}\`${guess ? `; did you mean \`${guess}\`?` : ` (the rules are ${summary(known)}).`} It is ignored.`,
        file: path,
        range: r.keyRange,
      });
    }
    if (model.rulesPathRange && root && folder.rulesDir !== root && !isInside(root, folder.rulesDir))
      out.push({
        ruleId: CONFIG_RULE,
        severity: 'warning',
        message: `\`rulesPath\` is outside this workspace folder: rule files there are not read.`,
        file: path,
        range: model.rulesPathRange,
      });
    return out;
  }
}

/** `AG0012`, `ag12` → `AG012`: a built-in id written with other zeros or case is meant by its number. */
function sameNumber(id: string, known: string[]): string | undefined {
  const m = /^ag-?0*(\d+)$/i.exec(id.trim());
  const candidate = m ? `AG${m[1].padStart(3, '0')}` : undefined;
  return candidate && known.includes(candidate) ? candidate : undefined;
}

/** `AG001–AG013, ACME001`: the built-in ids as a range, then the workspace's own. */
function summary(ids: string[]): string {
  const builtIn = ids.filter((id) => /^AG\d{3}$/.test(id));
  const own = ids.filter((id) => !/^AG\d{3}$/.test(id));
  const parts = builtIn.length ? [`${builtIn[0]}–${builtIn[builtIn.length - 1]}`] : [];
  return [...parts, ...own].join(', ');
}
