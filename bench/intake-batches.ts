import { parsePrometheusText, type Sample, samplesOf, sampleValue } from '../test/support/prometheus-text';

const DELIVERIES = 'gateway_intake_batch_deliveries';
const STATEMENTS = 'gateway_intake_batch_statements';
const ANSWER_SECONDS = 'gateway_webhook_answer_duration_seconds';

/** How the intake writer batched one phase, from the difference of two scrapes of /metrics around it. */
export interface BatchFigures {
  seconds: number;
  /** Committed intake transactions. */
  commits: number;
  commitsPerSecond: number;
  deliveriesPerCommit: {
    mean: number;
    /** Commits by the number of deliveries they held, in the histogram's buckets ("3–4": three or four). */
    histogram: Array<{ deliveries: string; commits: number }>;
  };
  /** Statements besides BEGIN and COMMIT. */
  statementsPerCommit: { mean: number };
  /** Webhook deliveries by result (`overloaded`: answered 503 before any of it was stored). */
  deliveriesByResult: Record<string, number>;
  /** 503 refusals by reason. */
  refusedByReason: Record<string, number>;
  /**
   * The service's own time to answer its 200s, from reading each request:
   * the bound of the histogram bucket each quantile fell in (Infinity: above
   * the last bound; NaN: no 200). The client's ack latency adds the time a
   * request waited in the kernel before the service read it.
   */
  okAnswerSecondsAtMost: { p50: number; p99: number; max: number };
}

export async function scrapeMetrics(baseUrl: string): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  return parsePrometheusText(await res.text());
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** What a counter labelled by `label` gained between the scrapes, per label value. */
function gainedBy(before: Sample[], after: Sample[], name: string, label: string): Record<string, number> {
  const gained: Record<string, number> = {};
  for (const sample of samplesOf(after, name)) {
    const value = sample.labels[label];
    const delta = sample.value - sampleValue(before, name, { [label]: value });
    if (delta > 0) gained[value] = delta;
  }
  return gained;
}

/** Upper bounds of a histogram's buckets with the observations that fell in each between the scrapes (not cumulative). */
function bucketGains(
  before: Sample[],
  after: Sample[],
  name: string,
  labels: Record<string, string> = {},
): Array<{ le: number; count: number }> {
  const cumulative = samplesOf(after, `${name}_bucket`, labels)
    .map((sample) => ({
      le: sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le),
      count: sample.value - sampleValue(before, `${name}_bucket`, { ...labels, le: sample.labels.le }),
    }))
    .sort((a, b) => a.le - b.le);
  return cumulative.map(({ le, count }, i) => ({ le, count: count - (i === 0 ? 0 : cumulative[i - 1].count) }));
}

/** The bound of the bucket in which the share `q` of the observations was reached; NaN when there were none. */
function bucketQuantile(buckets: Array<{ le: number; count: number }>, q: number): number {
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (const bucket of buckets) {
    seen += bucket.count;
    if (seen >= q * total) return bucket.le;
  }
  return Infinity;
}

/** "1", "2", "3–4", …, ">1024": the whole numbers a bucket holds, given the bound of the one below it. */
function bucketLabel(le: number, below: number): string {
  if (le === Infinity) return `>${below}`;
  return le === below + 1 ? String(le) : `${below + 1}–${le}`;
}

function gain(before: Sample[], after: Sample[], name: string): number {
  return sampleValue(after, name) - sampleValue(before, name);
}

export function batchFigures(before: Sample[], after: Sample[], seconds: number): BatchFigures {
  const commits = gain(before, after, `${DELIVERIES}_count`);
  const mean = (name: string) => (commits === 0 ? NaN : round2(gain(before, after, `${name}_sum`) / commits));
  const buckets = bucketGains(before, after, DELIVERIES);
  const okAnswers = bucketGains(before, after, ANSWER_SECONDS, { status: '200' });
  return {
    seconds: round2(seconds),
    commits,
    commitsPerSecond: round2(commits / seconds),
    deliveriesPerCommit: {
      mean: mean(DELIVERIES),
      histogram: buckets.map(({ le, count }, i) => ({
        deliveries: bucketLabel(le, i === 0 ? 0 : buckets[i - 1].le),
        commits: count,
      })),
    },
    statementsPerCommit: { mean: mean(STATEMENTS) },
    deliveriesByResult: gainedBy(before, after, 'gateway_webhook_deliveries_total', 'result'),
    refusedByReason: gainedBy(before, after, 'gateway_intake_refused_total', 'reason'),
    okAnswerSecondsAtMost: {
      p50: bucketQuantile(okAnswers, 0.5),
      p99: bucketQuantile(okAnswers, 0.99),
      max: bucketQuantile(okAnswers, 1),
    },
  };
}
