/**
 * The governance frameworks findings are mapped to (SPEC §1, §9), as data: one JSON file per
 * framework with its entries' ids, official names, a one-line summary in our own words and a
 * link. Bundled with the server and the CLI; nothing here reaches the network.
 */
import type { FrameworkRef } from '../../findings/finding';
import maestro from './CSA-MAESTRO.json';
import atlas from './MITRE-ATLAS.json';
import nist from './NIST-AI-RMF.json';
import asi from './OWASP-ASI-2026.json';
import llm from './OWASP-LLM-2025.json';
import nhi from './OWASP-NHI-2025.json';

/** The framework ids used in findings, in SPEC §1 order. */
export const FRAMEWORK_IDS = [
  'OWASP-ASI-2026',
  'OWASP-NHI-2025',
  'OWASP-LLM-2025',
  'CSA-MAESTRO',
  'NIST-AI-RMF',
  'MITRE-ATLAS',
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface FrameworkEntry {
  /** As cited in findings: `ASI02`, `NHI7`, `GOVERN 1.6`, `AML.T0053`, `L7 Agent Tool Misuse`. */
  id: string;
  /** The framework's own name for the entry (for NIST subcategories, a short label of ours). */
  name: string;
  /** One line in our own words. */
  summary: string;
  url: string;
  /** MAESTRO: `layer` or `threat`; ATLAS: `technique` or `mitigation`. */
  kind?: string;
  /** MAESTRO threats: the layer they belong to (`L7`, `Cross-layer`). */
  layer?: string;
}

export interface Framework {
  framework: FrameworkId;
  name: string;
  publisher: string;
  version?: string;
  date?: string;
  url: string;
  license: string;
  /** The attribution a CC BY-SA source requires wherever its ids and names are shown. */
  attribution?: string;
  entries: FrameworkEntry[];
}

const FRAMEWORKS: ReadonlyMap<string, Framework> = new Map(
  ([asi, nhi, llm, maestro, nist, atlas] as Framework[]).map((f) => [f.framework, f]),
);

const ENTRIES: ReadonlyMap<string, ReadonlyMap<string, FrameworkEntry>> = new Map(
  [...FRAMEWORKS.values()].map((f) => [f.framework, new Map(f.entries.map((e) => [e.id, e]))]),
);

/** A framework by its id (`OWASP-ASI-2026` …), or undefined. */
export function frameworkOf(framework: string): Framework | undefined {
  return FRAMEWORKS.get(framework);
}

/** One entry of a framework (`entryOf('OWASP-ASI-2026', 'ASI02')`), or undefined when either is unknown. */
export function entryOf(framework: string, id: string): FrameworkEntry | undefined {
  return ENTRIES.get(framework)?.get(id);
}

/**
 * A mapping as people read it: `OWASP-ASI-2026 ASI02 Tool Misuse and Exploitation`. MAESTRO ids
 * already end with the threat's name (`CSA-MAESTRO L7 Agent Tool Misuse`), so it is not repeated;
 * an unknown entry is shown as its bare reference.
 */
export function describeRef(ref: FrameworkRef): string {
  const base = `${ref.framework} ${ref.id}`;
  const entry = entryOf(ref.framework, ref.id);
  return entry && !ref.id.endsWith(entry.name) ? `${base} ${entry.name}` : base;
}
