import { readFileSync } from 'node:fs';
import type { SimulationAnswer, SimulationResult } from '../core/simulation';
import { exactJsonText } from '../core/text/losslessJson';
import { decodeFile } from '../core/workspace/readText';
import { scanFolder } from './scanFolder';

export interface SimulateOptions {
  principal: string;
  action: string;
  resource?: string;
  /** JSON text, or `@file` to read it from a file. */
  context?: string;
}

/**
 * A request's context: inline JSON, or `@path` read from that file (relative to the working
 * folder) as every workspace file is read: a UTF-8 byte order mark dropped (editors write one),
 * UTF-16, binary and invalid UTF-8 refused with what they are, since exact values matter here.
 */
export function contextText(option: string | undefined): { text?: string } | { error: string } {
  if (option === undefined || !option.startsWith('@')) return { text: option };
  const file = option.slice(1);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { error: `cannot read the context file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  const { text, problem } = decodeFile(bytes);
  // The size limit is the default one: the editor's setting does not reach the CLI.
  if (problem) return { error: `cannot read the context file ${file}: ${problem.message.replace(/ \(setting [^)]*\)/, '')}` };
  return { text };
}

/** One simulated request against a folder: the same core the editor uses. */
export function runSimulate(
  dir: string,
  options: SimulateOptions,
  context: string | undefined,
): { result: SimulationResult; display: (p: string) => string } {
  const service = scanFolder(dir);
  const result = service.simulate({
    principal: options.principal,
    action: options.action,
    ...(options.resource !== undefined ? { resource: options.resource } : {}),
    ...(context !== undefined ? { context } : {}),
  });
  return { result, display: (p) => service.displayPath(p) };
}

/** The answer as JSON: files relative with `/`, 0-based ranges, the context with its integers exact. */
export function simulationJson(a: SimulationAnswer, display: (p: string) => string): string {
  const link = <T extends { file: string }>(x: T): T => ({ ...x, file: display(x.file) });
  const out = {
    version: 1,
    decision: a.decision ?? null,
    request: a.request,
    ...(a.agent ? { agent: link(a.agent) } : {}),
    ...(a.tool ? { tool: link(a.tool) } : {}),
    determining: a.determining.map(link),
    errors: a.errors.map((e) => ({ policyId: e.policyId, message: e.message, ...(e.policy ? { policy: link(e.policy) } : {}) })),
    failures: a.failures,
    validated: a.validated,
    ms: Math.round(a.ms * 1000) / 1000,
  };
  return exactJsonText(out, 2);
}
