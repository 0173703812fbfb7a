import { Agent, request } from 'node:http';
import autocannon, { type Request } from 'autocannon';

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

/**
 * Open-loop pacing: request i is due at start + i/rate whatever happened to
 * the others, and its latency runs from that due time to the end of its
 * answer, so a stall shows up in every request that waited behind it
 * (no coordinated omission).
 */
export async function openLoop(
  baseUrl: string,
  next: (dueAt: number) => Delivery,
  rate: number,
  durationSeconds: number,
): Promise<LatencySummary> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = rate * durationSeconds;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 50;
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i * 1000) / rate;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
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
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(latencies, errors);
}
