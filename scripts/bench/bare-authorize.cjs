#!/usr/bin/env node
// The matrix's baseline: bare cedar-wasm `statefulIsAuthorized` over the same policies, in a fresh process.
//   node scripts/bench/bare-authorize.cjs <matrix.json> <policy.cedar>...
// All policy files are preparsed as one policy set; each cell of `agentgov matrix --format json`
// is asked twice (its context without an approval and with one granted; the input empty), as the
// matrix counts it. Prints {preparseMs, requests, ms, requestsPerSecond} as JSON on stdout; only
// the calls are timed.
'use strict';
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const [matrixPath, ...policyPaths] = process.argv.slice(2);
if (!matrixPath || !policyPaths.length) {
  process.stderr.write('usage: bare-authorize.cjs <matrix.json> <policy.cedar>...\n');
  process.exit(2);
}
const cells = JSON.parse(readFileSync(matrixPath, 'utf8')).cells.filter((c) => c.request && c.request.resource);
const policies = policyPaths.map((p) => readFileSync(p, 'utf8')).join('\n');
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const t0 = performance.now();
const prepared = cedar.preparsePolicySet('bench', { staticPolicies: policies });
const t1 = performance.now();
if (prepared.type !== 'success') {
  process.stdout.write(JSON.stringify({ failure: prepared.errors.slice(0, 3).map((e) => e.message) }) + '\n');
  process.exit(1);
}
const contexts = [{ input: {} }, { input: {}, approval: { granted: true } }];
let requests = 0;
const t2 = performance.now();
for (const c of cells)
  for (const context of contexts) {
    cedar.statefulIsAuthorized({
      principal: c.request.principal,
      action: c.request.action,
      resource: c.request.resource,
      context,
      entities: [],
      preparsedPolicySetId: 'bench',
      validateRequest: false,
    });
    requests++;
  }
const ms = performance.now() - t2;
process.stdout.write(
  JSON.stringify({
    preparseMs: +(t1 - t0).toFixed(1),
    requests,
    ms: +ms.toFixed(1),
    requestsPerSecond: ms > 0 ? Math.round((requests / ms) * 1000) : null,
  }) + '\n',
);
