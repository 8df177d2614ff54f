import type { Node, SourceFile } from 'ts-morph';
import type { LineIndex } from '../../text/lineIndex';
import type { Range } from '../../text/range';
import type { DiscoveryProblem, DiscoveryProblemCode, ToolDefinition } from '../model';
import type { Severity } from '../../findings/finding';
import type { ImportTable } from './imports';

/** Everything the per-SDK readers need about the one file being read. */
export class FileContext {
  readonly tools: ToolDefinition[] = [];
  readonly problems: DiscoveryProblem[] = [];

  constructor(
    readonly file: string,
    readonly sf: SourceFile,
    readonly lines: LineIndex,
    readonly imports: ImportTable,
  ) {}

  /** Exact range of a node, without its leading trivia (comments, whitespace). */
  range(node: Node): Range {
    return this.lines.range(node.getStart(), node.getEnd());
  }

  problem(node: Node, message: string, code: DiscoveryProblemCode, severity: Severity = 'warning'): void {
    this.problems.push({ file: this.file, range: this.range(node), message, severity, code });
  }
}
