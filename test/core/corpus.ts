import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Cedar's integration corpus, from `shared/data/` beside the repository (where the project's
 * machines and CI lay it) or from AGENTGOV_CORPUS; extracted into `dir`. A missing corpus fails
 * the test with where it was looked for: it is never skipped.
 */
export function extractCedarCorpus(dir: string): string {
  const archive = resolve(
    process.env.AGENTGOV_CORPUS ?? join(__dirname, '../../../shared/data/cedar-integration-corpus/corpus-tests.tar.gz'),
  );
  if (!existsSync(archive))
    throw new Error(`Cedar's integration corpus is not at ${archive} (set AGENTGOV_CORPUS to the corpus-tests.tar.gz)`);
  execFileSync('tar', ['xzf', archive, '-C', dir]);
  return join(dir, 'corpus-tests');
}
