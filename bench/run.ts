/**
 * `npm run bench`: the service's durable webhook intake against the ceiling
 * of a bare NestJS endpoint and a bare node:http server, measured in one run
 * on this machine, then the service alone under overload, and a ledger of
 * every answer it gave against what it stored. Writes
 * bench/results/<date>.json and .md; exits non-zero when the ledger does not
 * balance.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { BenchEventReceiver } from './event-receiver';
import {
  type DeliveryAccount,
  LOAD_MID_PREFIX,
  type SignedDelivery,
  signedDeliveries,
} from '../test/support/signed-deliveries';
import { admin, MARIADB, registerAccounts, ROOT, sleep, startGraphApi, startProcess, startService } from './harness';
import { eventBacklog, outboxBacklog, recreateDatabase, storedInboundMids } from './database';
import { batchFigures, type BatchFigures, scrapeMetrics } from './intake-batches';
import { balanceLedger, DeliveryLedger } from './ledger';
import { closedLoop, type Delivery, type LatencySummary, openLoop, summarize } from './load';
import { type Measured, measured, rssRecovery } from './process-usage';
import {
  batchPhase,
  type BenchReport,
  type EventWebhookFigures,
  type OpenLoopFigures,
  type OverloadFigures,
  ratio,
  renderMarkdown,
  type TargetName,
  targetChecks,
} from './report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
/** The overload phase offers this many times what the service took in the closed loop. */
const OVERLOAD_FACTOR = Number(process.env.BENCH_OVERLOAD_FACTOR ?? 4);
/** RSS is followed this long after the overload, every RECOVERY_SAMPLE_SECONDS. */
const RECOVERY_SECONDS = Number(process.env.BENCH_RECOVERY_SECONDS ?? 60);
const RECOVERY_SAMPLE_SECONDS = 5;
const RECOVERY_LIMIT_MIB = 200;
/**
 * The open-loop client's sockets, and so its requests in flight: a service
 * holding deliveries for up to INTAKE_MAX_WAIT under overload holds
 * thousands at once, and a request due while all are busy is counted as not
 * sent rather than queued in the client.
 */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 8192);
const CONNECTIONS = 50;
const WARM_UP_SECONDS = 3;
/** 500/s and 2000/s are the targets' rates; 200/s shows the service below its saturation point. */
const RATES = [200, 500, 2000];
/** Meta's limit of 100 replies/s per account sets the pace: the overload's replies take minutes. */
const OUTBOX_DRAIN_TIMEOUT_MS = 600_000;

interface Target {
  name: TargetName;
  baseUrl: string;
  process: ChildProcess;
}

const startedAt = performance.now();
/** A line of progress, with the seconds since the bench started. */
const say = (line: string) =>
  process.stdout.write(`[${String(Math.round((performance.now() - startedAt) / 1000)).padStart(4)} s] ${line}\n`);

async function startTargets(graphApiBaseUrl: string, adminToken: string): Promise<Target[]> {
  const ports = { service: await freePort(), 'bare-nest': await freePort(), 'bare-http': await freePort() };
  const url = (name: TargetName) => `http://127.0.0.1:${ports[name]}`;
  const service = await startService(ports.service, graphApiBaseUrl, adminToken);
  const bare = (name: 'bare-nest' | 'bare-http') =>
    startProcess(
      ['-r', 'ts-node/register/transpile-only', `bench/${name}.ts`],
      { PORT: String(ports[name]), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      `${url(name)}/`,
    );
  return [
    { name: 'service', baseUrl: url('service'), process: service },
    { name: 'bare-nest', baseUrl: url('bare-nest'), process: await bare('bare-nest') },
    { name: 'bare-http', baseUrl: url('bare-http'), process: await bare('bare-http') },
  ];
}

/** Deliveries for the load generators; a reply-worthy one is noted with its due time, to time its reply. */
function deliveries(accounts: DeliveryAccount[], onReplyWorthy?: (delivery: SignedDelivery, dueAt: number) => void) {
  const next = signedDeliveries(accounts);
  return (dueAt = performance.now()): Delivery => {
    const delivery = next();
    if (delivery.replyWorthy) onReplyWorthy?.(delivery, dueAt);
    return delivery;
  };
}

/** Idle is measured once every queued reply has gone: until then the dispatcher is working, not idle. */
async function outboxDrained(): Promise<void> {
  for (let waited = 0; waited < OUTBOX_DRAIN_TIMEOUT_MS; waited += 1000) {
    if ((await outboxBacklog(MARIADB)) === 0) return;
    await sleep(1000);
  }
  throw new Error(`the outbox did not drain within ${OUTBOX_DRAIN_TIMEOUT_MS / 1000} s`);
}

/** What the phases share: the targets, the accounts, the ledger of the service's answers and its batch figures. */
interface Run {
  targets: Target[];
  service: Target;
  accounts: DeliveryAccount[];
  ledger: DeliveryLedger;
  batches: Record<string, BatchFigures>;
  replyReceivedAt: Map<string, number>;
}

/** The ledger a target's answers go to: only the service stores anything. */
const ledgerOf = (run: Run, target: Target) => (target === run.service ? run.ledger : undefined);

/** A measured phase on one target; for the service, also how its intake batched meanwhile, from /metrics. */
async function phase<T>(run: Run, target: Target, name: string, work: () => Promise<T>): Promise<Measured<T>> {
  if (target !== run.service) return measured(target.process.pid!, work);
  const before = await scrapeMetrics(target.baseUrl);
  const result = await measured(target.process.pid!, work);
  run.batches[name] = batchFigures(before, await scrapeMetrics(target.baseUrl), result.seconds);
  return result;
}

const usage = <T>(run: Measured<T>) => ({ cpuPercent: run.cpuPercent, peakRssMiB: run.peakRssMiB });

async function warmUp(run: Run): Promise<void> {
  say('warming up…');
  for (const target of run.targets) {
    await closedLoop(target.baseUrl, deliveries(run.accounts), CONNECTIONS, WARM_UP_SECONDS, ledgerOf(run, target));
  }
}

async function closedLoops(run: Run): Promise<BenchReport['results']> {
  const results = {} as BenchReport['results'];
  for (const target of run.targets) {
    say(`closed loop, ${CONNECTIONS} connections: ${target.name}`);
    const measuredRun = await phase(run, target, batchPhase.closedLoop(CONNECTIONS), () =>
      closedLoop(target.baseUrl, deliveries(run.accounts), CONNECTIONS, SECONDS, ledgerOf(run, target)),
    );
    results[target.name] = { closedLoop: { ...measuredRun.result, ...usage(measuredRun) } };
  }
  return results;
}

/**
 * The closed loop on the service again, with one endpoint subscribed to
 * `message.received` for every account: each stored message is then also an
 * event row of its intake batch and a delivery the worker makes. The ratio
 * to the first closed loop is what event webhooks cost the intake. The
 * endpoint is deleted afterwards (with its deliveries), so that the phases
 * after this one run as before.
 */
async function eventWebhooksPhase(run: Run, adminToken: string, without: number): Promise<EventWebhookFigures> {
  const receiver = await BenchEventReceiver.start();
  const endpoint = await admin<{ id: string }>(run.service.baseUrl, adminToken, 'POST', '/event-endpoints', {
    url: receiver.url,
    events: ['message.received'],
  });
  say(`closed loop, ${CONNECTIONS} connections, one endpoint subscribed to message.received: service`);
  const measuredRun = await phase(run, run.service, batchPhase.eventWebhooks(CONNECTIONS), () =>
    closedLoop(run.service.baseUrl, deliveries(run.accounts), CONNECTIONS, SECONDS, run.ledger),
  );
  const receivedDuringLoop = receiver.received;
  const backlog = await eventBacklog(MARIADB);
  await admin(run.service.baseUrl, adminToken, 'DELETE', `/event-endpoints/${endpoint.id}`);
  await receiver.close();
  const withEndpoint = measuredRun.result.perSecond;
  return {
    closedLoop: { ...measuredRun.result, ...usage(measuredRun) },
    ratio: ratio(withEndpoint, without),
    eventsReceivedDuringLoop: receivedDuringLoop,
    eventsPendingAtEnd: backlog,
  };
}

/** A reply-worthy delivery of a phase: its customer, whom the reply goes to, and its due time. */
interface ReplyWorthy {
  sender: string;
  dueAt: number;
}

/**
 * Reply latency of one phase: from each reply-worthy delivery's due time to
 * its reply's arrival at the fake. Only deliveries answered 200 are owed a
 * reply; one refused with 503 is Meta's to send again.
 */
function replyLatency(
  replyWorthy: Map<string, ReplyWorthy>,
  replyReceivedAt: Map<string, number>,
  ledger: DeliveryLedger,
): LatencySummary {
  const owed = [...replyWorthy].filter(([mid]) => ledger.entries.get(mid) === 'accepted').map(([, sent]) => sent);
  const latencies = owed.flatMap(({ sender, dueAt }) => {
    const receivedAt = replyReceivedAt.get(sender);
    return receivedAt === undefined ? [] : [receivedAt - dueAt];
  });
  return summarize(latencies, owed.length - latencies.length);
}

/** Each rate on each target, into `results`; answers the service's reply latency by rate. */
async function openLoops(run: Run, results: BenchReport['results']): Promise<Record<number, LatencySummary>> {
  const replies: Record<number, LatencySummary> = {};
  for (const rate of RATES) {
    for (const target of run.targets) {
      say(`open loop, ${rate}/s: ${target.name}`);
      const replyWorthy = new Map<string, ReplyWorthy>();
      const isService = target === run.service;
      // Replies still queued from an earlier phase would be timed against this one's.
      if (isService) await outboxDrained();
      const noteReplyWorthy = (delivery: SignedDelivery, dueAt: number) =>
        replyWorthy.set(delivery.mid, { sender: delivery.sender, dueAt });
      const next = deliveries(run.accounts, isService ? noteReplyWorthy : undefined);
      run.replyReceivedAt.clear();
      const measuredRun = await phase(run, target, batchPhase.open(rate), () =>
        openLoop(target.baseUrl, next, rate, SECONDS, { sockets: SOCKETS, ledger: ledgerOf(run, target) }),
      );
      results[target.name][`open${rate}`] = { ...measuredRun.result, ...usage(measuredRun) } satisfies OpenLoopFigures;
      if (isService) {
        await outboxDrained();
        replies[rate] = replyLatency(replyWorthy, run.replyReceivedAt, run.ledger);
      }
      await sleep(1000);
    }
  }
  return replies;
}

async function overloadPhase(run: Run, capacity: number): Promise<OverloadFigures> {
  const { service } = run;
  const rate = Math.round(OVERLOAD_FACTOR * capacity);
  say(`overload, ${OVERLOAD_SECONDS} s at ${rate}/s (${OVERLOAD_FACTOR} × ${capacity}/s): service`);
  const measuredRun = await phase(run, service, batchPhase.overload(rate), () =>
    openLoop(service.baseUrl, deliveries(run.accounts), rate, OVERLOAD_SECONDS, {
      sockets: SOCKETS,
      ledger: run.ledger,
    }),
  );
  say(`RSS after the overload, every ${RECOVERY_SAMPLE_SECONDS} s for ${RECOVERY_SECONDS} s…`);
  const recovery = await rssRecovery(
    service.process.pid!,
    RECOVERY_SECONDS,
    RECOVERY_SAMPLE_SECONDS,
    RECOVERY_LIMIT_MIB,
  );
  const share503 = (measuredRun.result.statuses['503'] ?? 0) / measuredRun.result.offered;
  return { ...measuredRun.result, ...usage(measuredRun), rate, seconds: OVERLOAD_SECONDS, share503, recovery };
}

async function idle(run: Run, when: 'before' | 'after'): Promise<{ cpuPercent: number; rssMiB: number }> {
  say(`idle for ${IDLE_SECONDS} s ${when} the load…`);
  const idleRun = await measured(run.service.process.pid!, () => sleep(IDLE_SECONDS * 1000));
  return { cpuPercent: idleRun.cpuPercent, rssMiB: idleRun.peakRssMiB };
}

type Measurements = Pick<
  BenchReport,
  'results' | 'replies' | 'batches' | 'overload' | 'idle' | 'ledger' | 'eventWebhooks'
>;

function assembleReport(run: Run, measurements: Measurements): BenchReport {
  const { results } = measurements;
  const closed = (name: TargetName) => results[name].closedLoop.perSecond;
  const p99 = (name: TargetName, rate: number) => results[name][`open${rate}`].p99;
  const withoutTargets: Omit<BenchReport, 'targets'> = {
    date: new Date().toISOString(),
    void: !measurements.ledger.balanced,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    settings: {
      seconds: SECONDS,
      connections: CONNECTIONS,
      rates: RATES,
      sockets: SOCKETS,
      accounts: run.accounts.length,
      database: 'MariaDB (localhost)',
      overload: { seconds: OVERLOAD_SECONDS, factor: OVERLOAD_FACTOR, rate: measurements.overload.rate },
      recoverySeconds: RECOVERY_SECONDS,
      idleSeconds: IDLE_SECONDS,
    },
    ...measurements,
    ratios: {
      closedLoopThroughput: ratio(closed('service'), closed('bare-nest')),
      bareHttpThroughput: ratio(closed('bare-http'), closed('bare-nest')),
      ...Object.fromEntries(RATES.map((rate) => [`p99At${rate}`, ratio(p99('service', rate), p99('bare-nest', rate))])),
    },
  };
  return { ...withoutTargets, targets: targetChecks(withoutTargets) };
}

function shout(lines: string[]): void {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((line) => `!!! ${line}`).join('\n')}\n${bar}\n\n`);
}

/** Writes the report's .json and .md; a void one also says so loudly and makes the bench exit non-zero. */
function writeReport(report: BenchReport): void {
  const day = report.date.slice(0, 10);
  const markdown = renderMarkdown(report);
  writeFileSync(join(ROOT, 'bench', 'results', `${day}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', `${day}.md`), markdown);
  process.stdout.write(`\n${markdown}\n`);
  if (!report.void) return;
  shout([
    'VOID RUN: the ledger does not balance.',
    ...report.ledger.faults,
    `report marked void in bench/results/${day}.md and .json`,
  ]);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  say('building…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  await recreateDatabase(MARIADB);
  const { fake, replyReceivedAt } = await startGraphApi();
  const adminToken = randomBytes(24).toString('hex');
  const targets = await startTargets(fake.baseUrl, adminToken);
  const service = targets[0];
  const run: Run = {
    targets,
    service,
    accounts: await registerAccounts(service.baseUrl, adminToken),
    // Every delivery sent to the service, from the warm-up on, is balanced against what it stored.
    ledger: new DeliveryLedger(),
    batches: {},
    replyReceivedAt,
  };

  const idleBefore = await idle(run, 'before');
  await warmUp(run);
  const results = await closedLoops(run);
  const eventWebhooks = await eventWebhooksPhase(run, adminToken, results.service.closedLoop.perSecond);
  const replies = await openLoops(run, results);
  const overload = await overloadPhase(run, results.service.closedLoop.perSecond);
  say('draining the outbox…');
  await outboxDrained();
  // Still looking up the profiles of the thousands of new customers the load brought (10 every 5 s).
  const idleAfter = await idle(run, 'after');
  say('balancing the ledger against the stored messages…');
  const ledger = balanceLedger(run.ledger.entries, await storedInboundMids(MARIADB, LOAD_MID_PREFIX));

  writeReport(
    assembleReport(run, {
      results,
      replies,
      batches: run.batches,
      overload,
      idle: { seconds: IDLE_SECONDS, before: idleBefore, after: idleAfter },
      ledger,
      eventWebhooks,
    }),
  );
  for (const target of targets) target.process.kill('SIGTERM');
  await fake.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
