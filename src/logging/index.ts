// What other modules may use of `logging`; everything else in the folder is its own.
export { buildLoggerOptions, requestIdOf } from './logger-options';
