// What other modules may use of `config`; everything else in the folder is its own.
export { decodeSecretKey, parseDuration, sqlitePathOf } from './environment';
export type { Environment } from './environment';
export { loadEnvironmentOrExit } from './load-environment';
