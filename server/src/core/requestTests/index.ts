export { coverageOf, type FileCoverage, type PolicyCoverage, type TestRef } from './coverage';
export { fileSystemHost, type HostFile, type TestHost } from './host';
export * from './model';
export { type PreparedTestFile, prepareTestFile } from './prepareTestFile';
export { problemFindings } from './problems';
export { readTestFile } from './readTestFile';
export { type RunOptions, runPrepared, runTestFile } from './runTestFile';
