import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBinding } from '../../../server/src/core/bindings';

/** The binding fixture folders, one per scenario. */
export const BINDING_FIXTURES = resolve(__dirname, '../../fixtures/bindings');

/** Parses a binding fixture and keeps its text for range checks. */
export function parseFixture(rel: string) {
  const path = join(BINDING_FIXTURES, rel);
  const text = readFileSync(path, 'utf8');
  return { ...parseBinding(path, text), text, path };
}
