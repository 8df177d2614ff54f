import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const SYNTAXES_DIR = path.resolve(__dirname, '../../syntaxes');
export const PACKAGE_JSON = path.resolve(__dirname, '../../package.json');

export const GRAMMAR_FILES: Record<string, string> = {
  'source.cedar': path.join(SYNTAXES_DIR, 'cedar.tmLanguage.json'),
  'source.cedarschema': path.join(SYNTAXES_DIR, 'cedarschema.tmLanguage.json'),
  'markdown.cedar.codeblock': path.join(SYNTAXES_DIR, 'cedar-markdown-injection.tmLanguage.json'),
};

/**
 * The real Markdown grammar ships with VS Code, not with npm. This stand-in only has what the
 * injection competes with: a generic fenced-code rule (so a wrongly matching injection would
 * lose to it, or a missing one would leave the block unhighlighted) and plain paragraphs.
 */
export const TEST_MARKDOWN_GRAMMAR = {
  scopeName: 'text.html.markdown',
  patterns: [{ include: '#fenced_code_block_unknown' }, { include: '#heading' }],
  repository: {
    fenced_code_block_unknown: {
      begin: '(^|\\G)(\\s*)(`{3,}|~{3,})\\s*(?=([^`]*)?$)',
      end: '(^|\\G)(\\2|\\s{0,3})(\\3)\\s*$',
      name: 'markup.fenced_code.block.markdown',
      beginCaptures: { '3': { name: 'punctuation.definition.markdown' } },
      endCaptures: { '3': { name: 'punctuation.definition.markdown' } },
      contentName: 'markup.raw.block.markdown',
    },
    heading: {
      match: '^(#{1,6})\\s+(.*)$',
      name: 'markup.heading.markdown',
    },
  },
};

let onigLibPromise: Promise<vsctm.IOnigLib> | undefined;

/** The wasm may be loaded only once per process, so every registry shares one instance. */
export function loadOnigLib(): Promise<vsctm.IOnigLib> {
  if (!onigLibPromise) {
    const require = createRequire(__filename);
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const data = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
    onigLibPromise = oniguruma.loadWASM(data).then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }));
  }
  return onigLibPromise;
}

let registry: vsctm.Registry | undefined;

function getRegistry(): vsctm.Registry {
  registry ??= new vsctm.Registry({
    onigLib: loadOnigLib(),
    loadGrammar: async (scopeName) => {
      const file = GRAMMAR_FILES[scopeName];
      if (file) {
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      if (scopeName === 'text.html.markdown') {
        return vsctm.parseRawGrammar(JSON.stringify(TEST_MARKDOWN_GRAMMAR), 'markdown.tmLanguage.json');
      }
      return null;
    },
    // Mirrors package.json "injectTo", which VS Code turns into exactly this lookup.
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? ['markdown.cedar.codeblock'] : undefined),
  });
  return registry;
}

export async function loadGrammar(scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) {
    throw new Error(`grammar ${scopeName} not found`);
  }
  return grammar;
}

export interface Token {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

export class Tokenized {
  constructor(
    readonly lines: string[],
    readonly tokens: Token[],
  ) {}

  /**
   * Tokens covering the `nth` occurrence of `text` (searched across the whole source, within one
   * line). Several tokens come back when the grammar splits the text, e.g. `Acme`, `::`, `User`.
   */
  find(text: string, nth = 0): Token[] {
    let seen = 0;
    for (let line = 0; line < this.lines.length; line++) {
      let from = 0;
      for (;;) {
        const at = this.lines[line].indexOf(text, from);
        if (at < 0) {
          break;
        }
        from = at + 1;
        // Plain words only match whole words, so "in" never finds the "in" of "principal".
        const before = this.lines[line][at - 1] ?? '';
        const after = this.lines[line][at + text.length] ?? '';
        if (/^\w+$/.test(text) && (/\w/.test(before) || /\w/.test(after))) {
          continue;
        }
        if (seen++ === nth) {
          const end = at + text.length;
          return this.tokens.filter((t) => t.line === line && t.start < end && t.end > at);
        }
      }
    }
    throw new Error(`"${text}" (occurrence ${nth}) not in source:\n${this.lines.join('\n')}`);
  }

  /** Scopes of the single token that is exactly `text`; fails if the grammar split or merged it. */
  scopesOf(text: string, nth = 0): string[] {
    const found = this.find(text, nth);
    const exact = found.find((t) => t.text === text);
    if (found.length !== 1 || !exact) {
      throw new Error(`"${text}" is not one token: ${JSON.stringify(found.map((t) => t.text))}`);
    }
    return exact.scopes;
  }

  /** Human-readable dump, handy when a test fails. */
  dump(): string {
    return this.tokens.map((t) => `${t.line}:${t.start} ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
  }
}

export async function tokenize(scopeName: string, source: string): Promise<Tokenized> {
  const grammar = await loadGrammar(scopeName);
  const lines = source.split('\n');
  const tokens: Token[] = [];
  let stack = vsctm.INITIAL;
  lines.forEach((text, line) => {
    const result = grammar.tokenizeLine(text, stack);
    for (const t of result.tokens) {
      tokens.push({
        line,
        start: t.startIndex,
        end: Math.min(t.endIndex, text.length),
        text: text.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      });
    }
    stack = result.ruleStack;
  });
  return new Tokenized(lines, tokens);
}

/** True when `scope` is `prefix` or a more specific scope of it (`keyword` matches `keyword.other.cedar`). */
export function scopeMatches(scope: string, prefix: string): boolean {
  return scope === prefix || scope.startsWith(prefix + '.');
}

export function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => scopeMatches(s, prefix));
}

export interface GrammarRegex {
  where: string;
  kind: 'match' | 'begin' | 'end' | 'while';
  source: string;
}

/** Every regex of a raw grammar, with a JSON-path-like location for error messages. */
export function collectRegexes(node: unknown, where = '$'): GrammarRegex[] {
  const out: GrammarRegex[] = [];
  if (Array.isArray(node)) {
    node.forEach((child, i) => out.push(...collectRegexes(child, `${where}[${i}]`)));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'match' || key === 'begin' || key === 'end' || key === 'while') && typeof value === 'string') {
        out.push({ where: `${where}.${key}`, kind: key, source: value });
      } else {
        out.push(...collectRegexes(value, `${where}.${key}`));
      }
    }
  }
  return out;
}
