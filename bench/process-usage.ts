import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;
const PEAK_RSS_SAMPLE_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) a process has used so far, and its resident memory in MiB. */
export function usageOf(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, rssMiB: Math.round(Number(rss?.[1] ?? 0) / 1024) };
}

export interface Measured<T> {
  result: T;
  /** CPU as a share of one core over the work. */
  cpuPercent: number;
  peakRssMiB: number;
  seconds: number;
}

/** Runs `work` while sampling a process: its CPU over the work, and its peak RSS. */
export async function measured<T>(pid: number, work: () => Promise<T>): Promise<Measured<T>> {
  const before = usageOf(pid);
  const startedAt = performance.now();
  let peakRssMiB = before.rssMiB;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, usageOf(pid).rssMiB)), PEAK_RSS_SAMPLE_MS);
  try {
    const result = await work();
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuPercent = Math.round(((usageOf(pid).cpuSeconds - before.cpuSeconds) / seconds) * 1000) / 10;
    return { result, cpuPercent, peakRssMiB: Math.max(peakRssMiB, usageOf(pid).rssMiB), seconds };
  } finally {
    clearInterval(sampler);
  }
}

export interface RssRecovery {
  /** RSS every `everySeconds` after the load ended, the first at 0 s. */
  samples: Array<{ atSeconds: number; rssMiB: number }>;
  /** The first sample under the limit, in seconds after the load; null when none was. */
  underLimitAtSeconds: number | null;
  limitMiB: number;
}

/** How a process's RSS comes down once a load has ended: sampled for `seconds`, every `everySeconds`. */
export async function rssRecovery(
  pid: number,
  seconds: number,
  everySeconds: number,
  limitMiB: number,
): Promise<RssRecovery> {
  const samples: RssRecovery['samples'] = [];
  for (let at = 0; at <= seconds; at += everySeconds) {
    if (at > 0) await sleep(everySeconds * 1000);
    samples.push({ atSeconds: at, rssMiB: usageOf(pid).rssMiB });
  }
  const under = samples.find((sample) => sample.rssMiB < limitMiB);
  return { samples, underLimitAtSeconds: under?.atSeconds ?? null, limitMiB };
}
