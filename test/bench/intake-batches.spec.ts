import { batchFigures } from '../../bench/intake-batches';
import { parsePrometheusText } from '../support/prometheus-text';

const scrape = (
  commits: { le1: number; le2: number; le4: number; inf: number },
  sums: [number, number],
  overloaded = 0,
  answers: Array<[string, number]> = [],
) =>
  parsePrometheusText(
    [
      `gateway_intake_batch_deliveries_bucket{le="1"} ${commits.le1}`,
      `gateway_intake_batch_deliveries_bucket{le="2"} ${commits.le2}`,
      `gateway_intake_batch_deliveries_bucket{le="4"} ${commits.le4}`,
      `gateway_intake_batch_deliveries_bucket{le="+Inf"} ${commits.inf}`,
      `gateway_intake_batch_deliveries_sum ${sums[0]}`,
      `gateway_intake_batch_deliveries_count ${commits.inf}`,
      `gateway_intake_batch_statements_sum ${sums[1]}`,
      `gateway_intake_batch_statements_count ${commits.inf}`,
      'gateway_webhook_deliveries_total{result="accepted"} 10',
      ...(overloaded > 0 ? [`gateway_webhook_deliveries_total{result="overloaded"} ${overloaded}`] : []),
      ...(overloaded > 0 ? [`gateway_intake_refused_total{reason="wait_exceeded"} ${overloaded}`] : []),
      ...answers.map(([le, n]) => `gateway_webhook_answer_duration_seconds_bucket{status="200",le="${le}"} ${n}`),
      // Other statuses' answers are not the 200s'.
      'gateway_webhook_answer_duration_seconds_bucket{status="503",le="0.01"} 99',
      'gateway_webhook_answer_duration_seconds_bucket{status="503",le="+Inf"} 99',
    ].join('\n'),
  );

describe('batchFigures', () => {
  it('counts what the phase added, bucket by bucket, with the means of the phase alone', () => {
    const before = scrape({ le1: 5, le2: 5, le4: 5, inf: 5 }, [5, 30], 0, [
      ['0.01', 10],
      ['1', 10],
      ['+Inf', 10],
    ]);
    // The phase's 100 answers: 60 within 10 ms, 39 more within 1 s, one beyond.
    const after = scrape({ le1: 6, le2: 8, le4: 9, inf: 10 }, [5 + 1 + 4 + 3 + 20, 30 + 40], 7, [
      ['0.01', 70],
      ['1', 109],
      ['+Inf', 110],
    ]);
    expect(batchFigures(before, after, 2)).toEqual({
      seconds: 2,
      commits: 5,
      commitsPerSecond: 2.5,
      deliveriesPerCommit: {
        mean: 5.6,
        histogram: [
          { deliveries: '1', commits: 1 },
          { deliveries: '2', commits: 2 },
          { deliveries: '3–4', commits: 1 },
          { deliveries: '>4', commits: 1 },
        ],
      },
      statementsPerCommit: { mean: 8 },
      deliveriesByResult: { overloaded: 7 },
      refusedByReason: { wait_exceeded: 7 },
      okAnswerSecondsAtMost: { p50: 0.01, p99: 1, max: Infinity },
    });
  });

  it('has no means when nothing was committed', () => {
    const same = scrape({ le1: 1, le2: 1, le4: 1, inf: 1 }, [1, 8]);
    const figures = batchFigures(same, same, 1);
    expect(figures.commits).toBe(0);
    expect(figures.deliveriesPerCommit.mean).toBeNaN();
    expect(figures.okAnswerSecondsAtMost.p50).toBeNaN();
  });
});
