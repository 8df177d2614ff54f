import { type Command, Option } from 'commander';
import type { CommandContext } from './commandContext';
import { contextText, runSimulate, simulationJson } from './simulate';
import { simulationText } from './simulateText';

interface SimulateFlags {
  principal: string;
  action: string;
  resource?: string;
  context?: string;
  format: 'text' | 'json';
  expect?: 'allow' | 'deny';
}

/**
 * `agentgov simulate [dir] --principal P --action A [--resource R] [--context JSON|@file]`
 * (SPEC §9): exit 0 when Cedar decided, whatever it decided; with `--expect`, 1 when it decided
 * otherwise; 2 for a request that cannot be made (an unknown name, with the closest one; a
 * context that is not JSON, with where) or that Cedar could not decide.
 */
export function simulateCommand(program: Command, c: CommandContext): void {
  program
    .command('simulate')
    .description('decide one request with the workspace policies: may this agent call this tool with this input?')
    .argument('[dir]', 'workspace folder', '.')
    .requiredOption('--principal <agent>', 'an agent name (its binding\'s name) or a Cedar uid such as Agent::"x"')
    .requiredOption('--action <tool>', 'a tool (tool or server/tool) or a Cedar action uid')
    .option('--resource <uid>', "a Cedar uid (default: the tool's server)")
    .option('--context <json>', 'the context as JSON (e.g. \'{"input": {"amount": 100}}\'), or @file to read it from a file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--expect <decision>', 'exit 1 when the decision is not this one').choices(['allow', 'deny']))
    .action((dir: string, flags: SimulateFlags) => {
      const root = c.readableDir(dir);
      const context = contextText(flags.context);
      if ('error' in context) throw c.usageError(context.error);
      const { result, display } = runSimulate(root, flags, context.text);
      if (!result.ok) {
        const from = flags.context?.startsWith('@') && result.error.field === 'context' ? `${flags.context.slice(1)}: ` : '';
        throw c.usageError(`${from}${result.error.message}`);
      }
      c.out(`${flags.format === 'json' ? simulationJson(result, display) : simulationText(result, display)}\n`);
      if (!result.decision) c.setExit(c.exit.usage);
      else c.setExit(flags.expect && flags.expect !== result.decision ? c.exit.findings : c.exit.ok);
    });
}
