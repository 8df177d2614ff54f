export { Engine, type Key, type QueryOptions } from './engine';
export { Memo } from './memo';
