export { accessMatrix, type MatrixOptions, type MatrixWorkers } from './matrix';
export { defaultContext, defaultContextFor } from './defaultContext';
export { simulate } from './simulate';
export { simulationWorkspace, type SimulationWorkspace } from './workspace';
export { identityText } from './columns';
export { uidText } from './uid';
export type * from './types';
