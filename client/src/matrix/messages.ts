// The messages between the access matrix's webview and the extension, typed once for both sides.

/** Extension → webview. */
export type ToWebview =
  | {
      type: 'matrix';
      /** Bumped at every render: a click answers with the generation it saw. */
      generation: number;
      all: boolean;
      summary: string;
      rows: string;
      gaps: string;
      agentOptions: string;
      toolOptions: string;
    }
  | { type: 'updating' }
  | { type: 'failed'; message: string };

/** The filters a person set; kept in the webview's state across reloads. */
export interface MatrixFilters {
  agent: string;
  tool: string;
  /** Risk levels shown; empty: every level. */
  risk: string[];
  /** Decisions shown (without or with an approval); empty: every decision. */
  decision: string[];
}

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; link: number; generation: number }
  | { type: 'all'; all: boolean }
  | { type: 'shown'; generation: number; shown: number; total: number; filters: MatrixFilters };

export function isFromWebview(m: unknown): m is FromWebview {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'ready' || t === 'open' || t === 'all' || t === 'shown';
}
