// What other modules may use of `lifecycle`; everything else in the folder is its own.
export { exitGracefullyOnSignals } from './graceful-shutdown';
export { boundHeapGrowth } from './heap-growth';
