import { Agent, type IncomingMessage, request } from 'node:http';
import autocannon, { type Request } from 'autocannon';
import type { DeliveryLedger } from './ledger';
import { OpenLoopSchedule } from './pacer';

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
  mid: string;
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

const round2 = (n: number) => Math.round(n * 100) / 100;

export function summarize(latencies: number[], errors: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    p50: round2(percentile(sorted, 0.5)),
    p99: round2(percentile(sorted, 0.99)),
    p999: round2(percentile(sorted, 0.999)),
    max: round2(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * Deliveries answered 200 per second with `connections` clients each sending
 * the next request as soon as the last is answered. With a ledger, each
 * delivery's mid is noted when built and its answer when it comes: a
 * connection has one request in flight, so its context names the mid answered.
 */
export async function closedLoop(
  baseUrl: string,
  next: () => Delivery,
  connections: number,
  durationSeconds: number,
  ledger?: DeliveryLedger,
): Promise<{ perSecond: number; non2xx: number; errors: number }> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Request, context: { mid?: string }) => {
          const delivery = next();
          context.mid = delivery.mid;
          ledger?.sent(delivery.mid);
          return { ...req, path: delivery.path, body: delivery.body, headers: delivery.headers };
        },
        onResponse: (status: number, _body: string, context: { mid?: string }) => {
          if (context.mid !== undefined) ledger?.answered(context.mid, status);
        },
      },
    ],
  });
  return {
    perSecond: Math.round(result['2xx'] / result.duration),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Requests the open-loop client could not get an answer for: none of them is a status the server sent. */
export interface ClientErrors {
  /** Due while every socket was busy: not sent, so the client never queues without bound. */
  notSent: number;
  /** Sent, and unanswered OPEN_LOOP_TIMEOUT_MS after it was sent. */
  timeout: number;
  /** Sent, and the connection failed before the answer was complete. */
  connection: number;
}

/** The middle, the tail and the worst of some client-side durations, in ms. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round2(percentile(sorted, 0.5)),
    p99: round2(percentile(sorted, 0.99)),
    max: round2(sorted[sorted.length - 1] ?? NaN),
  };
}

export interface OpenLoopResult extends LatencySummary {
  /** Requests due in the run (rate × seconds). */
  offered: number;
  sent: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  clientErrors: ClientErrors;
  /** How late the client sent its requests after their due times: a client that could not keep up shows here. */
  sendLagMs: Spread;
  /**
   * Connections the client opened, and how long each took to connect: part
   * of the latency of the request that opened it, and long when the server's
   * accept backlog overflows (a dropped SYN is sent again after 1 s, then 3 s).
   */
  connections: { opened: number; connectMs: Spread };
  /** The load generator's own CPU over the run, % of one core: near 100 it is the limit, not the server. */
  clientCpuPercent: number;
}

export interface OpenLoopOptions {
  /** Sockets, and so requests in flight, at most. */
  sockets: number;
  ledger?: DeliveryLedger;
}

/** Beyond Meta's 5 s, so that late acknowledgements are measured rather than cut off. */
const OPEN_LOOP_TIMEOUT_MS = 10_000;

type Outcome = { status: number } | { error: 'timeout' | 'connection' };

/** What the open loop has seen so far; the latencies are of 200 answers only, from their due times. */
class OpenLoopTally {
  readonly latencies: number[] = [];
  readonly sendLags: number[] = [];
  readonly connectTimes: number[] = [];
  readonly statuses: Record<string, number> = {};
  readonly clientErrors: ClientErrors = { notSent: 0, timeout: 0, connection: 0 };

  record(outcome: Outcome, dueAt: number): void {
    if ('error' in outcome) {
      this.clientErrors[outcome.error] += 1;
      return;
    }
    this.statuses[outcome.status] = (this.statuses[outcome.status] ?? 0) + 1;
    if (outcome.status === 200) this.latencies.push(performance.now() - dueAt);
  }

  result(offered: number, clientCpuPercent: number): OpenLoopResult {
    const answers = Object.values(this.statuses).reduce((sum, n) => sum + n, 0);
    const unanswered = this.clientErrors.timeout + this.clientErrors.connection;
    return {
      ...summarize(this.latencies, offered - this.latencies.length),
      offered,
      sent: answers + unanswered,
      statuses: this.statuses,
      clientErrors: this.clientErrors,
      sendLagMs: spreadOf(this.sendLags),
      connections: { opened: this.connectTimes.length, connectMs: spreadOf(this.connectTimes) },
      clientCpuPercent,
    };
  }
}

/**
 * Sends one delivery; `done` is called once, with its status or how it
 * failed. The timeout runs from the send, like Meta's, not from the socket's
 * last activity: a connection that waits in the server's accept backlog
 * counts against it too.
 */
function post(
  agent: Agent,
  url: URL,
  delivery: Delivery,
  onConnected: (connectMs: number) => void,
  done: (outcome: Outcome) => void,
): void {
  let settled = false;
  const settle = (outcome: Outcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    done(outcome);
  };
  const req = request(
    { host: url.hostname, port: url.port, method: 'POST', path: delivery.path, headers: delivery.headers, agent },
    (res: IncomingMessage) => {
      res.on('end', () => settle({ status: res.statusCode ?? 0 }));
      res.on('error', () => settle({ error: 'connection' }));
      res.resume();
    },
  );
  const deadline = setTimeout(() => {
    settle({ error: 'timeout' });
    req.destroy();
  }, OPEN_LOOP_TIMEOUT_MS);
  req.on('socket', (socket) => {
    if (!socket.connecting) return;
    const since = performance.now();
    socket.once('connect', () => onConnected(performance.now() - since));
  });
  req.on('error', () => settle({ error: 'connection' }));
  req.end(delivery.body);
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
  { sockets, ledger }: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const schedule = new OpenLoopSchedule(performance.now() + 50, rate, Math.round(rate * durationSeconds));
  const tally = new OpenLoopTally();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let inFlight = 0;
  let allAnswered: (() => void) | null = null;
  const send = (dueAt: number) => {
    if (inFlight >= sockets) {
      tally.clientErrors.notSent += 1;
      return;
    }
    const delivery = next(dueAt);
    ledger?.sent(delivery.mid);
    inFlight += 1;
    tally.sendLags.push(performance.now() - dueAt);
    post(
      agent,
      url,
      delivery,
      (connectMs) => tally.connectTimes.push(connectMs),
      (outcome) => {
        tally.record(outcome, dueAt);
        if ('status' in outcome) ledger?.answered(delivery.mid, outcome.status);
        inFlight -= 1;
        if (inFlight === 0) allAnswered?.();
      },
    );
  };
  for (let index = 0; index < schedule.total;) {
    const due = schedule.dueBy(index, performance.now());
    for (; index < due; index++) send(schedule.dueAt(index));
    if (index < schedule.total) await sleep(schedule.msUntil(index, performance.now()));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuPercent = round2((cpu.user + cpu.system) / 10 / (performance.now() - startedAt));
  return tally.result(schedule.total, clientCpuPercent);
}
