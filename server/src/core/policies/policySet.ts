import { createHash } from 'node:crypto';
import { cedarGateway, type Decision, type DetailedError, type PolicyText, type Request } from '../cedar/gateway';
import type { PolicyFileModel, PolicyStatement } from '../cedar/policyFile';
import { statementParseErrors } from '../cedar/policyCheck';
import type { Range } from '../text/range';

/** One policy of the workspace, with the id users see and where it is. */
export interface WorkspacePolicy {
  /** Its id (SPEC §11): the `@id`, else `policyN` by its position in its file. */
  id: string;
  /** The id it has inside Cedar: `id`, or `file#id` when another policy has the same id. */
  cedarId: string;
  file: string;
  /** The whole statement. */
  range: Range;
  /** The effect keyword (where a finding about the policy goes). */
  effectRange: Range;
  effect?: 'permit' | 'forbid';
  statement: PolicyStatement;
}

/**
 * Every policy of the workspace that parses, each linked to its source, so a determining or an
 * erroring policy always leads back to its file and range. Cedar gets it preparsed once per
 * content (`authorize`), under an id derived from that content.
 */
export class WorkspacePolicySet {
  readonly policies: WorkspacePolicy[] = [];
  private readonly byCedarId = new Map<string, WorkspacePolicy>();
  private contentId?: string;

  constructor(files: { file: string; model: PolicyFileModel }[], displayPath: (path: string) => string) {
    const seen = new Set<string>();
    for (const { file, model } of files) {
      for (const s of model.statements) {
        if (!s.effect || statementParseErrors(s).length) continue;
        const cedarId = seen.has(s.id) ? `${displayPath(file)}#${s.id}` : s.id;
        seen.add(cedarId);
        const p: WorkspacePolicy = {
          id: s.id,
          cedarId,
          file,
          range: model.lines.range(s.start, s.end),
          effectRange: model.lines.range(s.effectStart, s.effectEnd),
          effect: s.effect,
          statement: s,
        };
        this.policies.push(p);
        this.byCedarId.set(cedarId, p);
      }
    }
  }

  /** The policy Cedar names by this id (a determining policy, an erroring one). */
  byId(cedarId: string): WorkspacePolicy | undefined {
    return this.byCedarId.get(cedarId);
  }

  /** The policies as Cedar takes them. */
  texts(): PolicyText[] {
    return this.policies.map((p) => ({ id: p.cedarId, text: p.statement.text, isTemplate: p.statement.isTemplate }));
  }

  /** Cedar's id for this exact content: the same policies always preparse under the same id. */
  id(): string {
    this.contentId ??= `ws-${createHash('sha1')
      .update(this.policies.map((p) => `${p.cedarId}\u0000${p.statement.text}`).join('\u0001'))
      .digest('hex')}`;
    return this.contentId;
  }

  /**
   * Cedar's decision on a request, with its determining and erroring policies linked to their
   * source; with a preparsed schema's name, the request is validated against it.
   */
  authorize(
    request: Request,
    entities: unknown[],
    schemaName?: string,
  ): { decision: Decision; determining: WorkspacePolicy[]; erroring: WorkspacePolicy[] } | { failure: DetailedError[] } {
    const texts = this.texts().filter((t) => !t.isTemplate);
    const prepared = cedarGateway.preparsePolicySet(this.id(), texts);
    if (prepared.length) return { failure: prepared };
    const answer = cedarGateway.authorize(this.id(), request, entities, schemaName);
    if ('failure' in answer) return answer;
    return {
      decision: answer,
      determining: answer.reasons.map((id) => this.byId(id)).filter((p): p is WorkspacePolicy => !!p),
      erroring: answer.errors.map((e) => this.byId(e.policyId)).filter((p): p is WorkspacePolicy => !!p),
    };
  }
}
