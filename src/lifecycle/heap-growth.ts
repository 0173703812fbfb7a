import { setFlagsFromString } from 'node:v8';

/** After a full collection, the old generation may grow by this share of what survived before the next one. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds how far V8 lets the heap grow between full collections. By
 * default it allows up to four times what survived the last one: under a
 * burst every delivery in flight outlives the young generation, so a live
 * set of about 60 MiB let the heap climb to 280 MiB (RSS 400 MiB), and V8
 * gives memory back only slowly once the burst is over. Growing by half
 * keeps RSS near the live set for a few percent more CPU (`npm run bench`).
 * A `--heap-growing-percent` given to node itself is left as it is. The
 * flag is read at every collection, so setting it at start-up takes effect.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
