import type { SchemaJson } from '../cedar/gateway';
import { didYouMean } from '../text/didYouMean';
import type { RequestTest, TestProblem, Uid } from './model';

/** The entity types and actions a schema declares, by their full names (`NS::Type`, `NS::Action::"id"`). */
export interface DeclaredNames {
  entityTypes: Set<string>;
  actions: Set<string>;
}

const uidText = (u: Uid) => `${u.type}::${JSON.stringify(u.id)}`;

/** Read from the schema's JSON form (a Cedar-syntax schema is converted to it once). */
export function declaredNames(schema: SchemaJson): DeclaredNames {
  const out: DeclaredNames = { entityTypes: new Set(), actions: new Set() };
  for (const [ns, def] of Object.entries(schema)) {
    const prefix = ns ? `${ns}::` : '';
    for (const name of Object.keys(def?.entityTypes ?? {})) out.entityTypes.add(`${prefix}${name}`);
    for (const id of Object.keys(def?.actions ?? {})) out.actions.add(uidText({ type: `${prefix}Action`, id }));
  }
  return out;
}

const near = (word: string, candidates: Iterable<string>) =>
  didYouMean(word, candidates, { maxDistance: Math.max(2, Math.floor(word.length / 3)) });

/**
 * A problem for each principal or resource type and each action of a request that the schema
 * does not declare: Cedar would refuse to validate the request. Only for requests that are
 * validated (`validateRequest` is not false): without validation such names are legal.
 */
export function undeclaredNameProblems(test: RequestTest, names: DeclaredNames): TestProblem[] {
  const call = test.call;
  if (!call?.validateRequest) return [];
  const out: TestProblem[] = [];
  for (const key of ['principal', 'resource'] as const) {
    const type = call[key].type;
    if (names.entityTypes.has(type)) continue;
    const guess = near(type, names.entityTypes);
    out.push({
      message: `The schema declares no entity type \`${type}\` (the ${key} of this request)${guess ? `; did you mean \`${guess}\`?` : '.'}`,
      range: call.ranges[key],
      severity: 'error',
      request: test.index,
    });
  }
  const action = uidText(call.action);
  if (!names.actions.has(action)) {
    const guess = near(action, names.actions);
    out.push({
      message: `The schema declares no action \`${action}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`,
      range: call.ranges.action,
      severity: 'error',
      request: test.index,
    });
  }
  return out;
}
