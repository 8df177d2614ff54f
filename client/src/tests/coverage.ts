// Policy coverage through VS Code's test coverage API: each policy file is a file of the report;
// each policy a statement (executed: how many requests satisfied its condition) and a declaration
// named after it (executed: how many made it determining, Cedar's "reason").
import * as vscode from 'vscode';
import type { PolicyCoverageItem } from '../../../server/src/protocol';
import { toRange } from './testTree';

export class PolicyFileCoverage extends vscode.FileCoverage {
  constructor(
    uri: vscode.Uri,
    readonly policies: PolicyCoverageItem[],
  ) {
    const total = policies.length;
    super(
      uri,
      new vscode.TestCoverageCount(policies.filter((p) => p.satisfied > 0 || p.determining > 0).length, total),
      undefined,
      new vscode.TestCoverageCount(policies.filter((p) => p.determining > 0).length, total),
    );
  }

  /** The editor's coverage: the whole statement of each policy, and the policy by its id. */
  details(): vscode.FileCoverageDetail[] {
    return this.policies.flatMap((p) => [
      new vscode.StatementCoverage(Math.max(p.satisfied, p.determining), toRange(p.range)),
      new vscode.DeclarationCoverage(`${p.effect} ${p.id}`, p.determining, toRange(p.range)),
    ]);
  }
}
