import type { BatchFigures } from './intake-batches';
import type { LedgerVerdict } from './ledger';
import type { LatencySummary, OpenLoopResult } from './load';
import type { RssRecovery } from './process-usage';

export type TargetName = 'service' | 'bare-nest' | 'bare-http';
export const TARGET_NAMES: TargetName[] = ['service', 'bare-nest', 'bare-http'];

export interface Usage {
  cpuPercent: number;
  peakRssMiB: number;
}

export type ClosedLoopFigures = { perSecond: number; non2xx: number; errors: number } & Usage;
export type OpenLoopFigures = OpenLoopResult & Usage;

export interface OverloadFigures extends OpenLoopFigures {
  rate: number;
  seconds: number;
  /** 503 answers as a share of the requests offered, 0 to 1. */
  share503: number;
  recovery: RssRecovery;
}

export interface BenchReport {
  date: string;
  /** The ledger does not balance: the figures are not to be used. */
  void: boolean;
  machine: { cpus: number; cpuModel?: string; memoryGiB: number; node: string };
  settings: {
    seconds: number;
    connections: number;
    rates: number[];
    sockets: number;
    accounts: number;
    database: string;
    overload: { seconds: number; factor: number; rate: number };
    recoverySeconds: number;
    idleSeconds: number;
  };
  results: Record<TargetName, { closedLoop: ClosedLoopFigures } & Record<`open${number}`, OpenLoopFigures>>;
  /** Reply latency by rate: webhook due time to the fake Graph API receiving the reply. */
  replies: Record<number, LatencySummary>;
  /** The service's intake batches, per phase. */
  batches: Record<string, BatchFigures>;
  overload: OverloadFigures;
  idle: {
    seconds: number;
    before: { cpuPercent: number; rssMiB: number };
    after: { cpuPercent: number; rssMiB: number };
  };
  ratios: Record<string, number>;
  ledger: LedgerVerdict;
  /** The closed loop again with one endpoint subscribed to `message.received`. */
  eventWebhooks: EventWebhookFigures;
  targets: TargetCheck[];
}

export interface EventWebhookFigures {
  closedLoop: ClosedLoopFigures;
  /** Its deliveries per second over the service's first closed loop's (without an endpoint). */
  ratio: number;
  /** Events the endpoint received while the loop ran, and those still pending when it ended. */
  eventsReceivedDuringLoop: number;
  eventsPendingAtEnd: number;
}

/** One of the intake's targets, with what this run measured. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** Phase names of the batch figures, in the order the phases run. */
export const batchPhase = {
  closedLoop: (connections: number) => `closed loop, ${connections} connections`,
  eventWebhooks: (connections: number) => `closed loop, ${connections} connections, one event endpoint`,
  open: (rate: number) => `${rate}/s`,
  overload: (rate: number) => `overload, ${rate}/s`,
};

/** A latency target holds only when every delivery was answered 200: refusals would otherwise hide in a good p99. */
function ackTarget(rate: number, limitMs: number, figures: OpenLoopFigures): TargetCheck {
  const unanswered = figures.errors > 0 ? ` (${figures.errors} not answered 200)` : '';
  return {
    target: `ack p99 at most ${limitMs} ms at ${rate}/s`,
    measured: `${figures.p99} ms${unanswered}`,
    met: figures.p99 <= limitMs && figures.errors === 0,
  };
}

function replyTarget(quantile: 'p50' | 'p99', limitMs: number, rate: number, replies?: LatencySummary): TargetCheck {
  const missing = replies && replies.errors > 0 ? ` (${replies.errors} missing)` : '';
  return {
    target: `reply ${quantile} at most ${limitMs} ms at ${rate}/s`,
    measured: replies ? `${replies[quantile]} ms${missing}` : 'not measured',
    met: replies !== undefined && replies[quantile] <= limitMs && replies.errors === 0,
  };
}

/** A delivery unanswered when the client gave up may have been acknowledged later still: the target is then missed. */
function latestAckTarget(overload: OverloadFigures): TargetCheck {
  const timedOut = overload.clientErrors.timeout;
  return {
    target: 'overload: no delivery acknowledged later than 3 s',
    measured: `latest 200 after ${overload.max} ms${timedOut > 0 ? `; ${timedOut} unanswered after 10 s` : ''}`,
    met: overload.max <= 3000 && timedOut === 0,
  };
}

function recoveryTarget(recovery: RssRecovery): TargetCheck {
  const within = recovery.underLimitAtSeconds;
  const last = recovery.samples[recovery.samples.length - 1];
  return {
    target: `overload: RSS back under ${recovery.limitMiB} MiB within 60 s after the load`,
    measured:
      within === null
        ? `not within ${last.atSeconds} s (${last.rssMiB} MiB then)`
        : `under it ${within} s after (${recovery.samples.find((s) => s.atSeconds === within)?.rssMiB} MiB)`,
    met: within !== null && within <= 60,
  };
}

export function targetChecks(report: Omit<BenchReport, 'targets'>): TargetCheck[] {
  const service = report.results.service;
  const overload = report.overload;
  return [
    {
      target: 'ingest throughput at least 0.60 of bare NestJS (aim 0.75)',
      measured: String(report.ratios.closedLoopThroughput),
      met: report.ratios.closedLoopThroughput >= 0.6,
    },
    ...[500, 2000].flatMap((rate) =>
      service[`open${rate}`] ? [ackTarget(rate, rate === 500 ? 30 : 75, service[`open${rate}`])] : [],
    ),
    replyTarget('p50', 50, 500, report.replies[500]),
    replyTarget('p99', 250, 500, report.replies[500]),
    latestAckTarget(overload),
    {
      target: 'overload: peak RSS under 256 MiB',
      measured: `${overload.peakRssMiB} MiB`,
      met: overload.peakRssMiB < 256,
    },
    recoveryTarget(overload.recovery),
    {
      target: 'intake throughput with one endpoint subscribed to message.received at least 0.85 of without',
      measured: String(report.eventWebhooks.ratio),
      met: report.eventWebhooks.ratio >= 0.85,
    },
    ...(['before', 'after'] as const).map((when) => ({
      target: `idle CPU under 1% of one core, ${when} the load`,
      measured: `${report.idle[when].cpuPercent}%`,
      met: report.idle[when].cpuPercent < 1,
    })),
  ];
}

const ack = (f: OpenLoopFigures) => `${f.p50} / ${f.p99} / ${f.p999} (${f.errors} err)`;

function throughputTable(report: BenchReport): string[] {
  const { rates, connections } = report.settings;
  const nest = report.results['bare-nest'].closedLoop.perSecond;
  const rows = TARGET_NAMES.map((name) => {
    const r = report.results[name];
    const c = r.closedLoop;
    const peak = Math.max(c.peakRssMiB, ...rates.map((rate) => r[`open${rate}`].peakRssMiB));
    return `| ${name} | ${c.perSecond} (${ratio(c.perSecond, nest)}) | ${rates.map((rate) => ack(r[`open${rate}`])).join(' | ')} | ${c.cpuPercent}% | ${peak} |`;
  });
  return [
    `| target | deliveries/s answered 200, ${connections} connections (ratio to bare NestJS) | ${rates.map((rate) => `ack ms p50 / p99 / p99.9 at ${rate}/s`).join(' | ')} | CPU (closed loop, % of one core) | peak RSS MiB |`,
    `|---|---|${rates.map(() => '---|').join('')}---|---|`,
    ...rows,
  ];
}

/** Histogram quantiles as the bucket bounds they fell under: "≤ 0.1 / ≤ 1 / > 10". */
function answerBounds(batches: BatchFigures): string {
  const { p50, p99, max } = batches.okAnswerSecondsAtMost;
  const bound = (le: number) => (Number.isNaN(le) ? 'none' : le === Infinity ? '> 10' : `≤ ${le}`);
  return [p50, p99, max].map(bound).join(' / ');
}

function overloadTable(report: BenchReport): string[] {
  const o = report.overload;
  const statuses = Object.entries(o.statuses).filter(([status]) => status !== '200' && status !== '503');
  const refused = report.batches[batchPhase.overload(o.rate)];
  const counted = refused
    ? `; the service counted ${refused.deliveriesByResult.overloaded ?? 0} refusals (${
        Object.entries(refused.refusedByReason)
          .map(([reason, n]) => `${reason} ${n}`)
          .join(', ') || 'none'
      })`
    : '';
  const answers = Object.values(o.statuses).reduce((sum, n) => sum + n, 0);
  const recovery = o.recovery.samples.map((s) => s.rssMiB).join(', ');
  const under = o.recovery.underLimitAtSeconds;
  return [
    `Overload (service only): ${o.seconds} s offered open-loop at ${o.rate}/s, ${report.settings.overload.factor} × this run's closed-loop capacity of ${report.results.service.closedLoop.perSecond}/s, at most ${report.settings.sockets} sockets.`,
    '',
    '| overload | measured |',
    '|---|---|',
    `| requests offered / sent | ${o.offered} / ${o.sent}; sent after their due times by p50 ${o.sendLagMs.p50} ms, p99 ${o.sendLagMs.p99} ms, max ${o.sendLagMs.max} ms |`,
    `| connections the client opened; time to connect, ms p50 / p99 / max | ${o.connections.opened}; ${o.connections.connectMs.p50} / ${o.connections.connectMs.p99} / ${o.connections.connectMs.max} |`,
    `| load generator's CPU (with the fake Graph API) | ${o.clientCpuPercent}% of one core |`,
    `| answered 200 | ${o.statuses['200'] ?? 0} (${percent((o.statuses['200'] ?? 0) / o.offered)}) |`,
    `| answered 503 | ${o.statuses['503'] ?? 0} (${percent(o.share503)} of offered, ${percent((o.statuses['503'] ?? 0) / answers)} of answers)${counted} |`,
    `| other answers | ${statuses.map(([status, n]) => `${status}: ${n}`).join(', ') || 'none'} |`,
    `| client errors (not 503s) | not sent, every socket busy: ${o.clientErrors.notSent}; unanswered after 10 s: ${o.clientErrors.timeout}; connection failed: ${o.clientErrors.connection} |`,
    `| ack of accepted deliveries (200), ms p50 / p99 / p99.9 / latest | ${o.p50} / ${o.p99} / ${o.p999} / ${o.max} |`,
    ...(refused
      ? [
          `| the service's own time to answer them, from reading the request, s p50 / p99 / latest | ${answerBounds(refused)} |`,
        ]
      : []),
    `| service's CPU | ${o.cpuPercent}% of one core |`,
    `| peak RSS | ${o.peakRssMiB} MiB |`,
    `| RSS after the load, every ${o.recovery.samples[1]?.atSeconds ?? 0} s from its end | ${recovery} MiB; ${under === null ? `not under ${o.recovery.limitMiB} MiB within ${o.recovery.samples[o.recovery.samples.length - 1].atSeconds} s` : `under ${o.recovery.limitMiB} MiB after ${under} s`} |`,
  ];
}

function batchTable(report: BenchReport): string[] {
  const histogram = (b: BatchFigures) =>
    b.deliveriesPerCommit.histogram
      .filter((bucket) => bucket.commits > 0)
      .map((bucket) => `${bucket.deliveries}: ${bucket.commits}`)
      .join(', ');
  return [
    'Intake batches of the service, from /metrics before and after each phase:',
    '',
    '| phase | commits | commits/s | deliveries per commit, mean | statements per commit, mean | commits by deliveries per commit |',
    '|---|---|---|---|---|---|',
    ...Object.entries(report.batches).map(
      ([phase, b]) =>
        `| ${phase} | ${b.commits} | ${b.commitsPerSecond} | ${b.deliveriesPerCommit.mean} | ${b.statementsPerCommit.mean} | ${histogram(b)} |`,
    ),
  ];
}

function ledgerLines(ledger: LedgerVerdict): string[] {
  const { sent, stored } = ledger;
  const total = Object.values(sent).reduce((sum, n) => sum + n, 0);
  const verdict = ledger.balanced ? '**Ledger: balanced.**' : `**Ledger: VOID.** ${ledger.faults.join('; ')}.`;
  const missing =
    ledger.missingExamples.length > 0 ? ` Missing, for example: ${ledger.missingExamples.join(', ')}.` : '';
  return [
    `${verdict} ${total} deliveries sent to the service, each with a new mid: ${sent.accepted} answered 200, ${stored.accepted} of them stored; ${sent.refused} answered 503, ${stored.refused} of them stored; ${sent.failed} answered otherwise, ${stored.failed} stored; ${sent.unanswered} unanswered (in flight when a phase ended, or a client error), ${stored.unanswered} stored. Stored inbound messages with the run's mids (read from MariaDB once the outbox had drained): ${stored.rows}, ${ledger.storedTwice} mids more than once, ${stored.unsent} never sent.${missing}`,
  ];
}

function targetTable(targets: TargetCheck[]): string[] {
  return [
    "The intake's targets, against this run:",
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
  ];
}

function eventWebhookLines(figures: EventWebhookFigures): string[] {
  const c = figures.closedLoop;
  return [
    '### Event webhooks',
    '',
    `The service's closed loop again, with one endpoint subscribed to \`message.received\` (a local receiver answering 204): ${c.perSecond} deliveries/s, ${figures.ratio} of the closed loop without it; CPU ${c.cpuPercent}%, peak RSS ${c.peakRssMiB} MiB. The endpoint received ${figures.eventsReceivedDuringLoop} events during the loop; ${figures.eventsPendingAtEnd} were still pending when it ended.`,
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const { rates } = report.settings;
  const { replies, idle, ratios } = report;
  return [
    ...(report.void ? ['**VOID RUN: the ledger does not balance, so these figures are not to be used.**', ''] : []),
    `Benchmark of ${report.date} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; MariaDB on localhost; load generator on the same machine.`,
    '',
    ...throughputTable(report),
    '',
    `Reply latency (webhook due time → fake Graph API receives the reply), over the reply-worthy deliveries answered 200: ${rates.map((rate) => `at ${rate}/s p50 ${replies[rate]?.p50} ms, p99 ${replies[rate]?.p99} ms (${replies[rate]?.count} replies, ${replies[rate]?.errors} missing)`).join('; ')}.`,
    `Idle CPU over ${idle.seconds} s: ${idle.before.cpuPercent}% of one core before any load (RSS ${idle.before.rssMiB} MiB); ${idle.after.cpuPercent}% after it, with the outbox drained but profile lookups of the load's new customers still running (RSS ${idle.after.rssMiB} MiB).`,
    `Ratios to bare NestJS: throughput ${ratios.closedLoopThroughput} (bare node:http ${ratios.bareHttpThroughput}); ack p99 at ${rates.map((r) => `${r}/s ${ratios[`p99At${r}`]}`).join(', ')}.`,
    '',
    ...overloadTable(report),
    '',
    ...eventWebhookLines(report.eventWebhooks),
    '',
    ...batchTable(report),
    '',
    ...ledgerLines(report.ledger),
    '',
    ...targetTable(report.targets),
    '',
  ].join('\n');
}
