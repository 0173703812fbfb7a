import { isJsonObject } from './json-values';

/**
 * True when objects and arrays nest deeper than `maxDepth`. Walks level by
 * level without recursion, so an absurdly deep body cannot overflow the stack
 * here; a body that passes can later be serialised safely (JSON.stringify
 * recurses).
 */
export function exceedsNestingDepth(value: unknown, maxDepth: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 1; level.length > 0; depth += 1) {
    const nextLevel: unknown[] = [];
    for (const container of level) {
      const children = Array.isArray(container) ? container : isJsonObject(container) ? Object.values(container) : [];
      for (const child of children) {
        if (typeof child === 'object' && child !== null) nextLevel.push(child);
      }
    }
    if (nextLevel.length > 0 && depth >= maxDepth) return true;
    level = nextLevel;
  }
  return false;
}
