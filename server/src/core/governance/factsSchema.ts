import { parseSchemaFile } from '../cedar/schemaFile';
import { buildSchemaModel, type SchemaModel } from '../cedar/schemaModel';
import { FACTS_SCHEMA_TEXT } from './rulePack';

/** The name the facts schema has in this repository (it is bundled as text, no workspace file). */
export const FACTS_SCHEMA_FILE = 'policies/governance.cedarschema';

let facts: SchemaModel | undefined;

/**
 * The governance facts schema as a schema model, built once per process: workspace rule files are
 * validated against it, and hover and completion in them read it, as a policy reads its schema.
 */
export function factsSchemaModel(): SchemaModel {
  if (facts) return facts;
  const model = buildSchemaModel([parseSchemaFile(FACTS_SCHEMA_FILE, FACTS_SCHEMA_TEXT)]);
  // Its declarations live in no workspace file: "go to definition" has nowhere to go.
  for (const e of model.entityTypes.values()) delete e.decl;
  for (const a of model.actions.values()) delete a.decl;
  for (const c of model.commonTypes.values()) delete c.decl;
  return (facts = model);
}
