import { type Answer, balanceLedger, DeliveryLedger } from '../../bench/ledger';

function ledgerOf(answers: Record<string, number | 'none'>): ReadonlyMap<string, Answer> {
  const ledger = new DeliveryLedger();
  for (const [mid, status] of Object.entries(answers)) {
    ledger.sent(mid);
    if (status !== 'none') ledger.answered(mid, status);
  }
  return ledger.entries;
}

describe('balanceLedger', () => {
  it('balances when every 200 has its one row and no 503 has any', () => {
    const answers = ledgerOf({ a: 200, b: 200, c: 503, d: 'none', e: 'none', f: 500 });
    const verdict = balanceLedger(
      answers,
      new Map([
        ['a', 1],
        ['b', 1],
        ['d', 1],
      ]),
    );
    expect(verdict).toMatchObject({
      balanced: true,
      faults: [],
      sent: { accepted: 2, refused: 1, failed: 1, unanswered: 2 },
      stored: { rows: 3, accepted: 2, refused: 0, failed: 0, unanswered: 1, unsent: 0 },
    });
  });

  it('is void when a delivery answered 200 is not stored, and names it', () => {
    const verdict = balanceLedger(ledgerOf({ a: 200, b: 200 }), new Map([['a', 1]]));
    expect(verdict.balanced).toBe(false);
    expect(verdict.faults).toEqual(['1 deliveries answered 200 are not stored']);
    expect(verdict.missingExamples).toEqual(['b']);
  });

  it('is void when a delivery answered 503 is stored', () => {
    const verdict = balanceLedger(ledgerOf({ a: 503 }), new Map([['a', 1]]));
    expect(verdict.faults).toEqual(['1 deliveries answered 503 are stored']);
  });

  it('is void when a mid is stored twice or a stored mid was never sent', () => {
    const verdict = balanceLedger(
      ledgerOf({ a: 200 }),
      new Map([
        ['a', 2],
        ['z', 1],
      ]),
    );
    expect(verdict.faults).toEqual([
      '1 mids are stored more than once',
      '1 stored messages carry a mid the bench never sent',
    ]);
  });
});
