export { CedarGateway, cedarGateway } from './gateway';
export { policyTooDeepError } from './guards';
export type * from './types';
export { CedarPool } from './pool';
export { cedarMemoryBytes } from './load';
