import { Memo } from '../../engine/memo';
import { codeTokens } from '../lexer';
import {
  BOOLEAN_CHAIN_LIMIT,
  ENTITY_ID_LIMIT,
  JSON_DEPTH_LIMIT,
  POLICY_DEPTH_LIMIT,
  POLICY_TOKEN_LIMIT,
  policyDepth,
  policyTooDeep,
  SCHEMA_DEPTH_LIMIT,
  SCHEMA_ITEMS_LIMIT,
  type SchemaLimit,
  schemaLimitAt,
  SCHEMA_TOKEN_LIMIT,
} from '../nesting';
import type { DetailedError } from './types';

/*
 * The nesting guards, applied by the gateway to everything it hands to Cedar (nesting.ts says
 * why: a stack overflow inside cedar-wasm corrupts its instance for the whole process). Callers
 * may check earlier to place a finding better; nothing reaches Cedar without passing here.
 */

function guardError(message: string, help: string, start?: number, end?: number): DetailedError {
  return {
    message,
    help,
    code: null,
    url: null,
    severity: 'error',
    ...(start !== undefined ? { sourceLocations: [{ start, end: end ?? start, label: null }] } : {}),
  };
}

/** Nesting in a policy that would overflow cedar-wasm's stack, as a Cedar-shaped error (byte offsets). */
export function policyTooDeepError(text: string): DetailedError | undefined {
  const report = policyDepth(codeTokens(text, POLICY_TOKEN_LIMIT));
  if (!policyTooDeep(report)) return undefined;
  const start = Buffer.byteLength(text.slice(0, report.at?.start ?? 0));
  const n = (x: number) => x.toLocaleString('en-US');
  const what =
    report.longestId > ENTITY_ID_LIMIT
      ? `an entity id of ${n(report.longestId - 2)} characters (the limit is ${n(ENTITY_ID_LIMIT)})`
      : report.tokens > POLICY_TOKEN_LIMIT
        ? `more than ${n(POLICY_TOKEN_LIMIT)} tokens`
        : report.booleanOps > BOOLEAN_CHAIN_LIMIT
          ? `${report.booleanOps} \`&&\`/\`||\` operators (the limit is ${BOOLEAN_CHAIN_LIMIT})`
          : `nesting too deep (about ${report.depth} levels; the limit is ${POLICY_DEPTH_LIMIT})`;
  return guardError(
    `This policy is too complex for Cedar to check safely: ${what}. It was not checked.`,
    report.longestId > ENTITY_ID_LIMIT
      ? 'Check the id: no entity or action is named like this.'
      : report.tokens > POLICY_TOKEN_LIMIT
        ? 'Split it into several policies.'
        : 'Split the condition into several policies, or flatten nested expressions.',
    start,
    start + Buffer.byteLength(report.at?.text ?? ''),
  );
}

/**
 * Where a schema text passes a limit, by text: the same text is asked about by its check, its
 * conversion and its file's findings, and tokenizing a large one takes a while.
 */
const limitAt = new Memo<string, { at?: SchemaLimitAt }>('schema limits by text', 8);

export interface SchemaLimitAt {
  limit: SchemaLimit;
  /** UTF-16 offsets of the token where the limit was passed. */
  start: number;
  end: number;
}

export function schemaTextLimitAt(text: string): SchemaLimitAt | undefined {
  return limitAt.getOr(text, () => {
    const found = schemaLimitAt(codeTokens(text, SCHEMA_TOKEN_LIMIT));
    return found ? { at: { limit: found.limit, start: found.at.start, end: found.at.end } } : {};
  }).at;
}

/** What a schema past one of the limits is told. */
export function schemaLimitMessage(limit: SchemaLimit): { message: string; help: string } {
  const n = (x: number) => x.toLocaleString('en-US');
  switch (limit) {
    case 'depth':
      return {
        message: `This schema is nested too deeply for Cedar to check safely (more than ${SCHEMA_DEPTH_LIMIT} levels). It was not checked.`,
        help: 'Flatten nested records with common types.',
      };
    case 'tokens':
      return {
        message: `This schema is too large for Cedar to check in reasonable time (more than ${n(SCHEMA_TOKEN_LIMIT)} tokens in all its Cedar-syntax files). It was not checked.`,
        help: 'Remove repeated or generated declarations; Cedar spends about 20 µs per token of a schema.',
      };
    case 'items':
      return {
        message: `This list or record has more than ${n(SCHEMA_ITEMS_LIMIT)} items: too many for Cedar to check in reasonable time. The schema was not checked.`,
        help: "Cedar's check grows with the square of a record's attributes; split the record or the list.",
      };
  }
}

/** Cedar-syntax schema text past a limit, as a Cedar-shaped error (byte offsets). */
export function schemaTextTooDeepError(text: string): DetailedError | undefined {
  const at = schemaTextLimitAt(text);
  if (!at) return undefined;
  const start = Buffer.byteLength(text.slice(0, at.start));
  const { message, help } = schemaLimitMessage(at.limit);
  return guardError(message, help, start, start + Buffer.byteLength(text.slice(at.start, at.end)));
}

/** Readers stop text at JSON_DEPTH_LIMIT; a value built in memory gets the margin up to Cedar's ~118. */
const VALUE_DEPTH_LIMIT = JSON_DEPTH_LIMIT + 36;

/** A JSON value (schema, entities, context) nested beyond the limit; found without recursion. */
export function valueTooDeepError(value: unknown, what: string): DetailedError | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > VALUE_DEPTH_LIMIT) {
      return guardError(
        `This ${what} is nested too deeply for Cedar to check safely (more than ${VALUE_DEPTH_LIMIT} levels). It was not checked.`,
        'Flatten the nesting.',
      );
    }
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return undefined;
}
