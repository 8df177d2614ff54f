import { type AgentArea, problemFinding, RULE_OF_AREA } from '../agents/agentFindings';
import type { AgentIndex } from '../agents/agentIndex';
import type { CedarIndex } from '../cedar/cedarIndex';
import { entitiesFindings, entitiesValue } from '../cedar/entitiesFile';
import type { Settings } from '../settings';
import type { SchemaModel } from '../cedar/schemaModel';
import type { Engine } from '../engine';
import { type PassContext, WORKSPACE_PASSES } from '../passes';
import { WorkspacePolicySet } from '../policies/policySet';
import { LineIndex } from '../text/lineIndex';
import { FIRST_LINE } from '../text/range';
import { mayHoldTools, toolFileKind } from '../tools/fileKind';
import type { FileEntry } from '../workspace/files';
import type { WorkspaceInputs } from '../workspace/inputs';
import { isCedarKind } from '../workspace/fileKinds';
import type { Finding } from './finding';
import type { WorkspaceRules } from '../governance/workspaceRules';
import { suppressFindings } from './suppressions';
import type { CedarPool } from '../cedar/gateway';
import { governancePrefetch } from '../governance';

const READ_RULE: Record<string, string> = {
  policy: 'cedar-parse',
  schema: 'cedar-schema',
  entities: 'cedar-parse',
  config: 'agentgov-config',
  cedartests: 'agentgov-tests',
};

/** What an agent-side file is, for the rule its problems are reported under. */
function agentAreaOf(path: string): AgentArea {
  const kind = toolFileKind(path);
  return kind === 'binding' ? 'binding' : kind === 'mcp-config' ? 'mcp-config' : 'tools';
}

/** The rule of a file's unreadable bytes, by what the file is. */
function readRule(e: FileEntry): string {
  return READ_RULE[e.kind] ?? RULE_OF_AREA[agentAreaOf(e.path)];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const NO_FINDINGS: Finding[] = [];

/** A pass's findings compared as a whole, so files whose share did not change are left alone. */
function samePassResult(a: Map<string, Finding[]>, b: Map<string, Finding[]>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => sameJson(v, b.get(k)));
}

/**
 * The findings of each file as engine queries: the file's own (Cedar, bindings, tools, MCP
 * configs), its validation, and its share of every workspace pass. `affected` turns changed
 * inputs into the files whose findings may change.
 */
export class FileChecks {
  private readonly fileFindings: (path: string) => Finding[];
  private readonly passResult: (name: string) => Map<string, Finding[]>;
  private readonly passShare: (key: string) => Finding[];
  private readonly checked: (arg: string) => string[];
  readonly policySet: () => WorkspacePolicySet;
  /** What the workspace passes read (the simulation and the access matrix read the same). */
  readonly passContext: PassContext;

  constructor(
    private readonly engine: Engine,
    private readonly inputs: WorkspaceInputs,
    private readonly cedar: CedarIndex,
    private readonly agents: AgentIndex,
    private readonly displayPath: (path: string) => string,
    settingsFor: (path: string) => Readonly<Settings>,
    /** The workspace's own rules and configuration (rule files are not policies). */
    private readonly rules: WorkspaceRules,
    /** What keeps a request test file from running (`requestTests/`). */
    private readonly testFindings: (path: string) => Finding[] = () => [],
  ) {
    const entities = engine.define('workspaceEntities', () =>
      inputs.paths('entities').flatMap((p) => entitiesValue(inputs.file(p)?.text ?? '') ?? []),
    );
    const ctx: PassContext = (this.passContext = {
      policyFiles: () => rules.config.policyFiles(),
      policySet: () => this.policySet(),
      cedar,
      agents,
      displayPath,
      settingsFor,
      entities: () => entities(''),
      rules,
    });
    const policySet = engine.define(
      'policySet',
      () =>
        new WorkspacePolicySet(
          ctx
            .policyFiles()
            .map((file) => ({ file, model: cedar.policyModel(file)! }))
            .filter((f) => f.model),
          displayPath,
        ),
      { budget: 2 },
    );
    this.policySet = () => policySet('');
    this.passResult = engine.define('pass', (name) => WORKSPACE_PASSES.find((p) => p.name === name)!.run(ctx), {
      equals: samePassResult,
      budget: 64,
    });
    // A file's share of a pass, cut off on its own: an edit that changes the governance findings
    // of a few files leaves the findings of the other hundreds as they are, unrecomputed.
    this.passShare = engine.define(
      'passShare',
      (key) => {
        const at = key.indexOf('\u0000');
        return this.passResult(key.slice(0, at)).get(key.slice(at + 1)) ?? NO_FINDINGS;
      },
      { equals: sameJson, budget: 200_000 },
    );
    this.fileFindings = engine.define('fileFindings', (path) => this.compute(path), { equals: sameJson, budget: 100_000 });
    this.checked = engine.define('checkedFiles', () => this.computeChecked(), {
      equals: (a, b) => a.join('\n') === b.join('\n'),
      budget: 2,
    });
  }

  /** The governance rules' partial evaluations not yet made, as units for the Cedar workers. */
  governancePrefetch(pool: CedarPool): (() => Promise<void>)[] {
    return governancePrefetch(this.passContext, pool);
  }

  /** Every file the core reports on: Cedar files, bindings, MCP configs, and files that define tools or have problems. */
  checkedFiles(): string[] {
    return this.checked('');
  }

  /** A file's findings; `undefined` for a file the core does not report on. */
  findings(path: string): Finding[] | undefined {
    return this.isChecked(path) ? this.fileFindings(path) : undefined;
  }

  /** Files whose findings may change because these inputs changed (by recorded dependencies). */
  affected(inputKeys: string[]): string[] {
    return this.engine.affected(inputKeys, new Set(['fileFindings'])).map((k) => k.slice(k.indexOf('\u0000') + 1));
  }

  /**
   * The checked files and the tool files that may turn out to be (whether a tool file is checked
   * is known once its tools are discovered): what a first check plans over, without discovering
   * every tool file before its first Cedar call is asked for. Findings of a file that is not
   * checked are `undefined`, as for any other.
   */
  candidateFiles(): string[] {
    return this.allPaths().filter((p) => {
      const kind = toolFileKind(p);
      return kind === 'typescript' || kind === 'tool-json' ? !!this.inputs.file(p) : this.isChecked(p);
    });
  }

  private isChecked(path: string): boolean {
    const e = this.inputs.file(path);
    if (!e) return false;
    if (isCedarKind(e.kind) || e.kind === 'config' || e.kind === 'cedartests') return true;
    const kind = toolFileKind(path);
    if (kind === 'binding' || kind === 'mcp-config') return true;
    if (kind !== 'typescript' && kind !== 'tool-json') return false;
    // Bytes that cannot be read (binary, not UTF-8, too large) are said on the file itself: silence
    // would read as "no tools here". A TypeScript file only when it may define tools at all.
    if (e.readProblem && (kind === 'tool-json' || (!!e.text && mayHoldTools(path, e.text)))) return true;
    return this.agents.fileProblems(path).length > 0 || this.agents.toolsIn(path).length > 0;
  }

  private allPaths(): string[] {
    return [
      ...this.inputs.paths('policy'),
      ...this.inputs.paths('schema'),
      ...this.inputs.paths('entities'),
      ...this.inputs.paths('binding'),
      ...this.inputs.paths('json'),
      ...this.inputs.paths('typescript'),
      ...this.inputs.paths('config'),
      ...this.inputs.paths('cedartests'),
    ];
  }

  private computeChecked(): string[] {
    return this.allPaths()
      .filter((p) => this.isChecked(p))
      .sort();
  }

  private compute(path: string): Finding[] {
    try {
      // Suppressions last, before the cap, so a covered finding the cap would cut still counts as used.
      return capped(path, suppressFindings(path, this.inputs.file(path)?.text, this.computeUnsafe(path)));
    } catch (err) {
      // A bug or an input we did not foresee costs this file its findings, never the others'.
      return [internalErrorFinding(path, err)];
    }
  }

  private computeUnsafe(path: string): Finding[] {
    const e = this.inputs.file(path);
    if (!e) return [];
    const out: Finding[] = [];
    if (e.readProblem) {
      out.push(this.readFinding(e));
      if (!e.text) return out;
    }
    if (e.kind === 'config') return [...out, ...this.rules.configFindings(path)];
    if (e.kind === 'cedartests') return [...out, ...this.testFindings(path)];
    if (!isCedarKind(e.kind)) return [...out, ...this.agentFindings(path)];
    if (e.kind === 'schema') {
      out.push(
        ...this.cedar.schemaFileModel(path)!.findings,
        ...(this.cedar.schemaFor(path)?.findings.filter((f) => f.file === path) ?? []),
      );
      return out;
    }
    if (e.kind === 'entities') return [...out, ...entitiesFindings(path, e.text, this.cedar.schemaFor(path))];
    const model = this.cedar.policyModel(path)!;
    if (!model.statements.length)
      out.push({
        ruleId: 'cedar-parse',
        severity: 'info',
        message: 'This file holds no policies.',
        file: path,
        range: FIRST_LINE,
      });
    else out.push(...this.cedar.policyParseFindings(path));
    const schema = this.cedar.schemaFor(path);
    if (schema && !schema.valid) out.push(this.schemaBrokenFinding(path, schema));
    else if (schema) out.push(...this.cedar.validationFindings(path));
    return [...out, ...this.passFindings(path)];
  }

  private agentFindings(path: string): Finding[] {
    const area = agentAreaOf(path);
    const findings = this.agents.fileProblems(path).map((p) => problemFinding(p, area));
    return [...findings, ...this.passFindings(path)];
  }

  /** A file's share of every workspace pass (duplicate ids, the governance rules). */
  private passFindings(path: string): Finding[] {
    return WORKSPACE_PASSES.flatMap((pass) => this.passShare(`${pass.name}\u0000${path}`));
  }

  private readFinding(e: FileEntry): Finding {
    const p = e.readProblem!;
    const lines =
      e.kind === 'policy'
        ? this.cedar.policyModel(e.path)?.lines
        : e.kind === 'schema'
          ? this.cedar.schemaFileModel(e.path)?.lines
          : undefined;
    const pos = (lines ?? new LineIndex(e.text)).positionAt(p.offset);
    return { ruleId: readRule(e), severity: p.severity, message: p.message, file: e.path, range: { start: pos, end: pos } };
  }

  private schemaBrokenFinding(path: string, schema: SchemaModel): Finding {
    const broken = schema.brokenFiles();
    return {
      ruleId: 'cedar-schema',
      severity: 'warning',
      message: `Policies not validated: the schema ${broken.map((b) => this.displayPath(b)).join(', ')} has errors.`,
      file: path,
      range: FIRST_LINE,
      related: broken.map((b) => ({ file: b, range: FIRST_LINE, message: 'schema with errors' })),
    };
  }
}

/**
 * At most this many findings per file: a broken file (one 300 KB line of garbage) can cascade
 * into hundreds of thousands, which drown the editor and the CLI's output and say nothing more.
 */
export const MAX_FINDINGS_PER_FILE = 500;

/** Characters of one message or help: a parser may quote a token of the file, which can be a megabyte. */
export const MAX_MESSAGE_LENGTH = 2000;

const short = (text: string) =>
  text.length <= MAX_MESSAGE_LENGTH
    ? text
    : `${text.slice(0, MAX_MESSAGE_LENGTH)}… (${text.length.toLocaleString('en-US')} characters)`;

function shortened(f: Finding): Finding {
  if (f.message.length <= MAX_MESSAGE_LENGTH && (f.help?.length ?? 0) <= MAX_MESSAGE_LENGTH) return f;
  return { ...f, message: short(f.message), ...(f.help ? { help: short(f.help) } : {}) };
}

/** The first findings of a file in reading order, and one that counts the rest; every message of bounded length. */
function capped(path: string, all: Finding[]): Finding[] {
  const findings = all.map(shortened);
  if (findings.length <= MAX_FINDINGS_PER_FILE) return findings;
  const kept = findings
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .slice(0, MAX_FINDINGS_PER_FILE);
  const last = kept[kept.length - 1].range.end;
  return [
    ...kept,
    {
      ruleId: 'agentgov-limit',
      severity: 'warning',
      message: `${(findings.length - MAX_FINDINGS_PER_FILE).toLocaleString('en-US')} more findings in this file are not shown (at most ${MAX_FINDINGS_PER_FILE} per file). Fix the ones above first.`,
      file: path,
      range: { start: last, end: last },
    },
  ];
}

export function internalErrorFinding(file: string, err: unknown): Finding {
  const message = err instanceof Error ? err.message : String(err);
  return {
    ruleId: 'agentgov-internal',
    severity: 'error',
    message: `This file could not be checked: ${message}`,
    file,
    range: FIRST_LINE,
  };
}
