export { Engine, type Key, type QueryOptions } from './engine';
export { Memo, perObject } from './memo';
export { BARRIER, labelled, labelOf, runWork, type ReadyStep, type RunOptions, type WorkStep, type WorkUnit } from './work';
