/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a summary needs. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  /** Microseconds on the profiled process's clock. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShare {
  /** A package (`mysql2`), a module of this service (`src/messaging`), a part of Node (`node:_http_server`), or V8's own (`(garbage collector)`). */
  where: string;
  ms: number;
  share: number;
}

/** Where a frame's code lives, at the grain that says what to look at. */
export function placeOf(functionName: string, url: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const own = /\/(?:dist|src)\/([^/]+)\//.exec(url);
  if (own) return `src/${own[1]}`;
  if (url.startsWith('node:')) return url;
  if (url === '') return functionName === '' ? '(native)' : functionName;
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * The CPU time of the samples taken between `fromMs` and `toMs` after the
 * profile started, by where the running code lives (self time, so the
 * shares add up), largest first; idle time is left out.
 */
export function cpuByPlace(profile: CpuProfile, fromMs = 0, toMs = Number.POSITIVE_INFINITY): CpuShare[] {
  const placeOfNode = new Map(profile.nodes.map((n) => [n.id, placeOf(n.callFrame.functionName, n.callFrame.url)]));
  const micros = new Map<string, number>();
  let elapsed = 0;
  profile.samples.forEach((nodeId, index) => {
    elapsed += profile.timeDeltas[index];
    if (elapsed < fromMs * 1000 || elapsed > toMs * 1000) return;
    const where = placeOfNode.get(nodeId) ?? '(native)';
    if (where === '(idle)') return;
    micros.set(where, (micros.get(where) ?? 0) + profile.timeDeltas[index]);
  });
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0);
  return [...micros]
    .map(([where, value]) => ({ where, ms: value / 1000, share: total === 0 ? 0 : value / total }))
    .sort((a, b) => b.ms - a.ms);
}
