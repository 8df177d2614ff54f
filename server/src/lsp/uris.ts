import { fileURLToPath, pathToFileURL } from 'node:url';

const PSEUDO_ROOT = '/__agentgov_unsaved__/';
const EXT_BY_LANGUAGE: Record<string, string> = { cedar: '.cedar', cedarschema: '.cedarschema' };

/**
 * The core works on file paths. Documents that are not files (untitled, in-memory) get a
 * pseudo path with the extension of their language, so they are checked like files.
 */
export function pathOfUri(uri: string, languageId?: string): string | undefined {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  const ext = languageId ? EXT_BY_LANGUAGE[languageId] : undefined;
  return ext ? `${PSEUDO_ROOT}${encodeURIComponent(uri)}${ext}` : undefined;
}

export function uriOfPath(path: string): string {
  if (path.startsWith(PSEUDO_ROOT)) return decodeURIComponent(path.slice(PSEUDO_ROOT.length).replace(/\.[a-z]+$/, ''));
  return pathToFileURL(path).toString();
}
