import { GovernanceService } from '../../server/src/core/service';
import type { Settings } from '../../server/src/core/settings';
import type { Position } from '../../server/src/core/text/range';
import { memoryFileSystem } from '../../server/src/core/workspace/fileSystem';

/** The cursor marker in fixture texts. */
export const CARET = '‸';

/** Removes the `‸` marker and returns the text and the marker's position (UTF-16, as an editor counts). */
export function caret(marked: string): { text: string; pos: Position; offset: number } {
  const offset = marked.indexOf(CARET);
  if (offset < 0) throw new Error('no caret marker in fixture');
  const text = marked.slice(0, offset) + marked.slice(offset + CARET.length);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, pos: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** Position of the n-th occurrence of `needle` in `text` (plus `delta` characters). */
export function posOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export const ROOT = '/ws';

export const SCHEMA = `namespace Acme {
  entity Team;
  entity User in [Team] { name: String, email?: String };
  entity Agent in [Team] { owner: User, tier: Long };
  entity Server { vendor: String };
  action "send_email" appliesTo {
    principal: [Agent, User],
    resource: Server,
    context: { input: { to: String, subject: String, amount: Long }, approval?: { granted: Bool } },
  };
  action "read_doc" appliesTo { principal: Agent, resource: Server, context: { input: { docId: String } } };
}
`;

/** A service over an in-memory workspace rooted at `/ws`, already scanned. */
export function workspace(files: Record<string, string | Uint8Array>, settings?: Partial<Settings>) {
  const fs = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v])));
  const service = new GovernanceService({ fs, roots: [ROOT], settings });
  service.scan();
  return { service, fs, path: (p: string) => `${ROOT}/${p}` };
}
