#!/usr/bin/env node
// One bare cedar-wasm `validate` call in a fresh process, the baseline the server is compared to.
//   node scripts/bench/bare-validate.cjs <schema.cedarschema> <policy.cedar>...
// Prints {loadMs, validateMs, policies, errors, warnings, type} as JSON on stdout. All policy files
// are joined into one policy-set text (one call, ids policy0..N), validated in strict mode.
'use strict';
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const [schemaPath, ...policyPaths] = process.argv.slice(2);
if (!schemaPath || !policyPaths.length) {
  process.stderr.write('usage: bare-validate.cjs <schema> <policy.cedar>...\n');
  process.exit(2);
}
const schema = readFileSync(schemaPath, 'utf8');
const policies = policyPaths.map((p) => readFileSync(p, 'utf8')).join('\n');
const t0 = performance.now();
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const t1 = performance.now();
const answer = cedar.validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
const t2 = performance.now();
const out = {
  loadMs: +(t1 - t0).toFixed(1),
  validateMs: +(t2 - t1).toFixed(1),
  type: answer.type,
  policyFiles: policyPaths.length,
};
if (answer.type === 'success') {
  out.errors = answer.validationErrors.length;
  out.warnings = answer.validationWarnings.length;
} else {
  out.errors = answer.errors.length;
  out.failure = answer.errors.slice(0, 3).map((e) => e.message);
}
process.stdout.write(JSON.stringify(out) + '\n');
