import { type Command, Option } from 'commander';
import type { CommandContext } from './commandContext';
import { matrixJson, runMatrix } from './matrix';
import { matrixHtml } from './matrixHtml';
import { matrixMarkdown } from './matrixMarkdown';
import { matrixText } from './matrixText';

interface MatrixFlags {
  all?: boolean;
  format: 'text' | 'json' | 'markdown' | 'html';
  stats?: boolean;
}

/**
 * `agentgov matrix [dir] [--all] [--format text|json|markdown|html]` (SPEC §9, §11): every bound
 * agent × tool decided without and with an approval, with the policies, identity and audit
 * behind each. Exit 0: the matrix is a report, not a verdict (`check` judges it).
 */
export function matrixCommand(program: Command, c: CommandContext): void {
  program
    .command('matrix')
    .description('the agents × tools access matrix: each pair decided without and with an approval')
    .argument('[dir]', 'workspace folder', '.')
    .option('--all', 'every agent × every tool, not only the tools each binding lists')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('--stats', 'print the requests decided and how fast (JSON) to stderr')
    .action(async (dir: string, flags: MatrixFlags) => {
      const { matrix, display } = await runMatrix(c.readableDir(dir), !!flags.all);
      const render = { text: matrixText, json: matrixJson, markdown: matrixMarkdown, html: matrixHtml }[flags.format];
      c.out(`${render(matrix, display)}\n`);
      if (flags.stats) {
        // Two requests a cell (without and with an approval), timed from the pairs asked to the cells made (the workspace read before).
        const requestsPerSecond = matrix.ms > 0 ? Math.round((matrix.requests / matrix.ms) * 1000) : null;
        const stats = {
          cells: matrix.cells.length,
          requests: matrix.requests,
          ms: Math.round(matrix.ms * 10) / 10,
          requestsPerSecond,
        };
        process.stderr.write(`${JSON.stringify(stats)}\n`);
      }
      c.setExit(c.exit.ok);
    });
}
