import { LineIndex } from '../text/lineIndex';
import { codeTokens, eachToken, type Token, unquote } from './lexer';
import { POLICY_TOKEN_LIMIT } from './nesting';

export interface Annotation {
  name: string;
  value?: string;
  /** UTF-16 offsets of the whole `@name("value")`. */
  start: number;
  end: number;
  /** Offsets of the value's string literal, when there is one. */
  valueStart?: number;
  valueEnd?: number;
}

/** One `permit`/`forbid` statement of a policy file, located by UTF-16 offsets into the file. */
export interface PolicyStatement {
  /** Position in the file, 0-based: Cedar's `policyN` numbering for a single file. */
  index: number;
  /** The `@id` annotation, else `policy<index>`. */
  id: string;
  idFromAnnotation: boolean;
  effect?: 'permit' | 'forbid';
  start: number;
  end: number;
  /** The effect keyword, where diagnostics without a location of their own go. */
  effectStart: number;
  effectEnd: number;
  /** End of the scope `(...)`; while the scope is unfinished, everything after the effect is head. */
  headEnd: number;
  text: string;
  /** Has `?principal` or `?resource` slots: Cedar wants it as a template, not a static policy. */
  isTemplate: boolean;
  annotations: Annotation[];
  /** Ends with `;`. */
  terminated: boolean;
}

export interface PolicyFileModel {
  text: string;
  lines: LineIndex;
  statements: PolicyStatement[];
  /** Code tokens, made on first use: checks never need them, and a large file's tokens are a large heap. */
  readonly tokens: Token[];
}

const OPEN = new Set(['(', '{', '[']);
const CLOSE = new Set([')', '}', ']']);

/**
 * The tokens of a statement a model keeps: what its annotations, effect and scope need. Past the
 * token limit the statement is not handed to Cedar anyway (`POLICY_TOKEN_LIMIT`), so a megabyte
 * of garbage costs the split its boundaries only, not half a million token objects per edit.
 */
const KEPT_TOKENS = POLICY_TOKEN_LIMIT + 1;

/** One statement's tokens as the split sees them: the first `KEPT_TOKENS`, the last, and whether any is a slot. */
interface Group {
  head: Token[];
  last: Token;
  hasSlot: boolean;
}

/** Splits a policy file into statements at top-level `;`, tolerating unbalanced brackets. */
export function parsePolicyFile(text: string): PolicyFileModel {
  const groups: Group[] = [];
  let current: Group | undefined;
  let depth = 0;
  let prev: Token | undefined;
  let pending: Token | undefined;
  const close = () => {
    if (current) groups.push(current);
    current = undefined;
  };
  // Each token is decided once the next is seen (a restart looks one token ahead).
  const decide = (t: Token, before: Token | undefined, next: Token | undefined) => {
    // A new effect keyword right after a `;` starts a statement even when brackets are unbalanced,
    // so one missing `}` does not swallow every later policy.
    const restart =
      depth > 0 &&
      t.kind === 'ident' &&
      (t.text === 'permit' || t.text === 'forbid') &&
      next?.text === '(' &&
      before?.text === ';';
    if (restart) {
      close();
      depth = 0;
    }
    current ??= { head: [], last: t, hasSlot: false };
    if (current.head.length < KEPT_TOKENS) current.head.push(t);
    current.last = t;
    if (t.kind === 'slot') current.hasSlot = true;
    if (t.kind !== 'punct') return;
    if (OPEN.has(t.text)) depth++;
    else if (CLOSE.has(t.text)) depth = Math.max(0, depth - 1);
    else if (t.text === ';' && depth === 0) close();
  };
  eachToken(text, (t) => {
    if (t.kind === 'comment') return;
    if (pending) decide(pending, prev, t);
    prev = pending;
    pending = t;
  });
  if (pending) decide(pending, prev, undefined);
  close();
  const statements = groups.map((g, index) => toStatement(text, g, index));
  let lazyTokens: Token[] | undefined;
  return {
    text,
    lines: new LineIndex(text),
    statements,
    get tokens() {
      lazyTokens ??= codeTokens(text);
      return lazyTokens;
    },
  };
}

function toStatement(text: string, group: Group, index: number): PolicyStatement {
  const toks = group.head;
  const annotations = readAnnotations(toks);
  const effectTok = toks.find(
    (t, i) => t.kind === 'ident' && (t.text === 'permit' || t.text === 'forbid') && toks[i - 1]?.text !== '@',
  );
  const idAnnotation = annotations.find((a) => a.name === 'id' && a.value !== undefined);
  const start = toks[0].start;
  const end = group.last.end;
  const effectStart = effectTok?.start ?? start;
  return {
    index,
    id: idAnnotation?.value ?? `policy${index}`,
    idFromAnnotation: !!idAnnotation,
    effect: effectTok?.text as 'permit' | 'forbid' | undefined,
    start,
    end,
    effectStart,
    effectEnd: effectTok?.end ?? toks[0].end,
    headEnd: scopeEnd(toks, effectTok) ?? Number.MAX_SAFE_INTEGER,
    text: text.slice(start, end),
    isTemplate: group.hasSlot,
    annotations,
    terminated: group.last.text === ';',
  };
}

function readAnnotations(toks: Token[]): Annotation[] {
  const out: Annotation[] = [];
  for (let i = 0; i + 1 < toks.length; i++) {
    if (toks[i].text !== '@' || toks[i + 1].kind !== 'ident') continue;
    const name = toks[i + 1];
    const ann: Annotation = { name: name.text, start: toks[i].start, end: name.end };
    if (toks[i + 2]?.text === '(' && toks[i + 3]?.kind === 'string') {
      const v = toks[i + 3];
      ann.value = unquote(v.text);
      ann.valueStart = v.start;
      ann.valueEnd = v.end;
      ann.end = toks[i + 4]?.text === ')' ? toks[i + 4].end : v.end;
    }
    out.push(ann);
  }
  return out;
}

function scopeEnd(toks: Token[], effect: Token | undefined): number | undefined {
  if (!effect) return undefined;
  let depth = 0;
  for (let i = toks.indexOf(effect) + 1; i < toks.length; i++) {
    const t = toks[i].text;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return toks[i].end;
  }
  return undefined;
}

/** The statement containing a UTF-16 offset; an unfinished one reaches up to the next statement. */
export function statementAt(model: PolicyFileModel, offset: number): PolicyStatement | undefined {
  const list = model.statements;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const reach = s.terminated ? s.end : (list[i + 1]?.start ?? Number.MAX_SAFE_INTEGER);
    if (s.start <= offset && offset <= reach) return s;
  }
  return undefined;
}
