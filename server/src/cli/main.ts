import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { failsAt, runCheck } from './check';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';
import { formatInventoryText, runInventory } from './inventory';
import { matrixCommand } from './matrixCommand';
import { simulateCommand } from './simulateCommand';
import { runTests, testTargets } from './test';
import { testsFail } from './testReport';
import { formatTestText } from './testText';

const VERSION = '0.1.0';

/** Exit codes of SPEC §9. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

class UsageError extends Error {}

function readableDir(dir: string): string {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UsageError(`cannot read ${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  return abs;
}

export function buildProgram(out: (s: string) => void, setExit: (code: number) => void): Command {
  const program = new Command('agentgov')
    .description('Govern what AI agents may do: check Cedar policies, agent tools and identity bindings.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: (s) => process.stderr.write(s) });
  program
    .command('check')
    .description('check a workspace folder and report findings')
    .argument('[dir]', 'folder to check', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['error', 'warning', 'none'])
        .default('error'),
    )
    .option('--stats', 'print where the time went (Cedar calls, phases) to stderr')
    .action(
      async (dir: string, opts: { format: 'text' | 'json' | 'sarif'; failOn: 'error' | 'warning' | 'none'; stats?: boolean }) => {
        const report = await runCheck(
          readableDir(dir),
          opts.stats ? (s) => process.stderr.write(`${JSON.stringify(s, null, 1)}\n`) : undefined,
        );
        if (opts.format === 'json') out(`${JSON.stringify(report, null, 2)}\n`);
        else if (opts.format === 'sarif') out(`${formatSarif(report, VERSION)}\n`);
        else out(`${formatText(report, !!process.stdout.isTTY && !process.env.NO_COLOR)}\n`);
        setExit(failsAt(report, opts.failOn) ? EXIT.findings : EXIT.ok);
      },
    );
  program
    .command('inventory')
    .description('list the agents and tools found in a workspace folder')
    .argument('[dir]', 'folder to read', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((dir: string, opts: { format: 'text' | 'json' }) => {
      const inv = runInventory(readableDir(dir));
      out(opts.format === 'json' ? `${JSON.stringify(inv, null, 2)}\n` : `${formatInventoryText(inv)}\n`);
      setExit(EXIT.ok);
    });
  program
    .command('test')
    .description("run request tests (*.cedartests.json, the format of Cedar's integration tests)")
    .argument('[paths...]', 'test files or folders to search for *.cedartests.json', ['.'])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--coverage', 'tell, per policy, whether a request made it determining or satisfied it')
    .action((paths: string[], opts: { format: 'text' | 'json'; coverage?: boolean }) => {
      const found = testTargets(paths);
      if ('error' in found) throw new UsageError(found.error);
      if (!found.targets.length) throw new UsageError(`no request tests (*.cedartests.json) in ${paths.join(', ')}`);
      const report = runTests(found.targets, { coverage: !!opts.coverage });
      out(
        opts.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : `${formatTestText(report, !!process.stdout.isTTY && !process.env.NO_COLOR)}\n`,
      );
      setExit(testsFail(report) ? EXIT.findings : EXIT.ok);
    });
  const commands = { out, setExit, readableDir, usageError: (m: string) => new UsageError(m), exit: EXIT };
  simulateCommand(program, commands);
  matrixCommand(program, commands);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(out, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      process.stderr.write(`agentgov: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`agentgov: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
