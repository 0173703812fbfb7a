import { Agent, request } from 'node:http';
import autocannon, { type Request } from 'autocannon';
import { OpenLoopSchedule } from './pacer';

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface LatencySummary {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function summarize(latencies: number[], errors: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    errors,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    p999: round(percentile(sorted, 0.999)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/** Deliveries per second with `connections` clients each sending the next request as soon as the last is answered. */
export async function closedLoop(
  baseUrl: string,
  next: () => Delivery,
  connections: number,
  durationSeconds: number,
): Promise<{ perSecond: number; non2xx: number; errors: number }> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Request) => {
          const delivery = next();
          return { ...req, path: delivery.path, body: delivery.body, headers: delivery.headers };
        },
      },
    ],
  });
  return {
    perSecond: Math.round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open-loop load at `rate` requests per second for `durationSeconds`, paced
 * by `OpenLoopSchedule`: each request goes out at its due time or, when the
 * client is late, at once, and is timed from its due time.
 */
export async function openLoop(
  baseUrl: string,
  next: (dueAt: number) => Delivery,
  rate: number,
  durationSeconds: number,
): Promise<LatencySummary> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const schedule = new OpenLoopSchedule(performance.now() + 50, rate, rate * durationSeconds);
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const send = (dueAt: number) => {
    const delivery = next(dueAt);
    inFlight.push(
      new Promise<void>((resolve) => {
        const req = request(
          { host: url.hostname, port: url.port, method: 'POST', path: delivery.path, headers: delivery.headers, agent },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 200) latencies.push(performance.now() - dueAt);
              else errors += 1;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(delivery.body);
      }),
    );
  };
  for (let index = 0; index < schedule.total;) {
    const due = schedule.dueBy(index, performance.now());
    for (; index < due; index++) send(schedule.dueAt(index));
    if (index < schedule.total) await sleep(schedule.msUntil(index, performance.now()));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(latencies, errors);
}
