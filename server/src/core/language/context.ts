import { type PolicyFileModel, type PolicyStatement, statementAt } from '../cedar/policyFile';
import type { SchemaModel } from '../cedar/schemaModel';
import type { GovernanceService } from '../service';
import type { Position } from '../text/range';
import { readScope, type PolicyScope } from './policyScope';

/** Everything the editor features need about a cursor in a policy file. */
export interface PolicyCursor {
  model: PolicyFileModel;
  offset: number;
  statement?: PolicyStatement;
  scope: PolicyScope;
  schema?: SchemaModel;
}

const ANY_SCOPE: PolicyScope = {
  principal: { op: 'all', refs: [] },
  action: { op: 'all', refs: [] },
  resource: { op: 'all', refs: [] },
};

export function policyCursor(service: GovernanceService, path: string, pos: Position): PolicyCursor | undefined {
  const model = service.policyModel(path);
  if (!model) return undefined;
  const offset = model.lines.offsetAt(pos);
  const statement = statementAt(model, offset);
  return {
    model,
    offset,
    statement,
    scope: statement ? readScope(model.tokens, statement) : ANY_SCOPE,
    schema: service.schemaFor(path),
  };
}
