/*
 * What the CLI fuzzer asks of each command's output (issue 10's commands included): the exit
 * codes it may give, valid JSON, no stack trace, and for the matrix's HTML page, no markup but
 * its own, whatever names the mutated workspace gave its agents, tools and policies.
 */

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Tags and attributes `agentgov matrix --format html` writes (server/src/cli/matrixHtml.ts). */
const HTML_TAGS = new Set(
  'html head meta title style body h1 h2 p span div label input select option table thead tbody tr th td code strong ul li script'.split(
    ' ',
  ),
);
const HTML_ATTRIBUTES =
  /^(lang|charset|name|content|http-equiv|class|id|type|placeholder|value|data-(filter|agent|tool|risk|decision))$/;

/**
 * Markup in the matrix's page that its writer did not put there: one `<style>` and one `<script>`
 * (their bodies are the writer's constants), only its tags and attributes, attribute values
 * without quotes or angle brackets, and no `<` or `>` left in any text.
 */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (const tag of ['script', 'style']) {
    const n = html.match(new RegExp(`<${tag}\\b`, 'gi'))?.length ?? 0;
    if (n !== 1) problems.push(`${n} <${tag}> elements`);
  }
  const body = html.replace(/^<!DOCTYPE html>/, '').replace(/<(style|script)>[\s\S]*?<\/\1>/g, '');
  const text = body.replace(/<(\/?)([^\s/>]+)([^>]*)>/g, (whole, _close: string, tag: string, attrs: string) => {
    if (!HTML_TAGS.has(tag)) problems.push(`a <${tag}> tag: ${whole.slice(0, 120)}`);
    const rest = attrs.replace(/\s+([^\s="]+)(?:="([^"<>]*)")?/g, (_, name: string) => {
      if (!HTML_ATTRIBUTES.test(name)) problems.push(`attribute ${name} in ${whole.slice(0, 120)}`);
      return '';
    });
    if (rest.trim()) problems.push(`unreadable attributes ${JSON.stringify(rest.slice(0, 80))} in ${whole.slice(0, 120)}`);
    return '';
  });
  const stray = /.{0,40}[<>].{0,40}/s.exec(text);
  if (stray) problems.push(`a bare < or > in the text: ${JSON.stringify(stray[0])}`);
  return problems;
}

/** Why a run of a JSON command is wrong, or undefined: exit in `exits`, JSON on stdout, no stack trace, within `maxMs`. */
export function jsonRunProblem(run: CliRun, exits: number[], maxMs: number): string | undefined {
  if (!exits.includes(run.status ?? -1)) return `exited ${run.status}: ${run.stderr.slice(0, 300)}`;
  if (/\n\s+at /.test(run.stderr)) return `printed a stack trace: ${run.stderr.slice(0, 300)}`;
  try {
    JSON.parse(run.stdout);
  } catch {
    return `printed no valid JSON: ${run.stdout.slice(0, 200)}`;
  }
  if (run.ms > maxMs) return `took ${Math.round(run.ms)} ms`;
  return undefined;
}

/** `agentgov matrix --format html`: exit 0 or 1, one page with no markup but its own. */
export function htmlRunProblem(run: CliRun, maxMs: number): string | undefined {
  if (run.status !== 0 && run.status !== 1) return `exited ${run.status}: ${run.stderr.slice(0, 300)}`;
  if (/\n\s+at /.test(run.stderr)) return `printed a stack trace: ${run.stderr.slice(0, 300)}`;
  if (!run.stdout.startsWith('<!DOCTYPE html>')) return `printed no page: ${run.stdout.slice(0, 200)}`;
  const problems = htmlProblems(run.stdout);
  if (problems.length) return `wrote markup it did not make: ${problems.slice(0, 3).join('; ')}`;
  if (run.ms > maxMs) return `took ${Math.round(run.ms)} ms`;
  return undefined;
}

/**
 * `agentgov simulate --format json` with a mutated context: exit 0 (decided) or 2 (a request it
 * cannot make, or Cedar could not decide); JSON when it prints a result, else one short line
 * saying why on stderr; never a stack trace.
 */
export function simulateRunProblem(run: CliRun, maxMs: number): string | undefined {
  if (run.status !== 0 && run.status !== 2) return `exited ${run.status}: ${run.stderr.slice(0, 300)}`;
  if (/\n\s+at /.test(run.stderr)) return `printed a stack trace: ${run.stderr.slice(0, 300)}`;
  if (run.stdout) {
    try {
      JSON.parse(run.stdout);
    } catch {
      return `printed no valid JSON: ${run.stdout.slice(0, 200)}`;
    }
  } else {
    const lines = run.stderr.split('\n').filter(Boolean);
    if (run.status !== 2 || lines.length !== 1)
      return `exited ${run.status} with ${lines.length} lines on stderr: ${run.stderr.slice(0, 300)}`;
    if (lines[0].length > 1000) return `said why in a ${lines[0].length}-character line: ${lines[0].slice(0, 200)}…`;
  }
  if (run.ms > maxMs) return `took ${Math.round(run.ms)} ms`;
  return undefined;
}
