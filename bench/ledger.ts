/** What the service answered a delivery the bench sent it. */
export type Answer = 'accepted' | 'refused' | 'failed' | 'unanswered';

/** 200 stores the delivery, 503 refuses it with nothing stored; any other status is a failure of its own. */
const answerOf = (status: number): Answer => (status === 200 ? 'accepted' : status === 503 ? 'refused' : 'failed');

/**
 * Every delivery the bench sent the service, by its mid (unique per
 * delivery), with the answer it got: 'unanswered' until one comes, and for
 * good when the client timed out or lost the connection, since the service
 * may then have stored it or not.
 */
export class DeliveryLedger {
  private readonly answers = new Map<string, Answer>();

  sent(mid: string): void {
    this.answers.set(mid, 'unanswered');
  }

  answered(mid: string, status: number): void {
    this.answers.set(mid, answerOf(status));
  }

  get entries(): ReadonlyMap<string, Answer> {
    return this.answers;
  }
}

export interface LedgerVerdict {
  balanced: boolean;
  /** Why it does not balance; empty when it does. */
  faults: string[];
  /** Deliveries sent, by the answer they got. */
  sent: Record<Answer, number>;
  /** Stored inbound messages with the run's mids, by the answer their delivery got ('unsent': a mid the bench never sent). */
  stored: Record<Answer | 'unsent', number> & { rows: number };
  /** Mids stored in more than one row. */
  storedTwice: number;
  /** A few mids answered 200 and not stored, to look up. */
  missingExamples: string[];
}

const MISSING_EXAMPLES = 5;

/**
 * Balances the answers against the stored messages (rows per mid): every
 * delivery answered 200 has its one row, none answered 503 has any, and no
 * row comes from elsewhere. A delivery answered otherwise, or not at all,
 * may or may not be stored: it is counted, not judged.
 */
export function balanceLedger(
  answers: ReadonlyMap<string, Answer>,
  storedRows: ReadonlyMap<string, number>,
): LedgerVerdict {
  const sent: Record<Answer, number> = { accepted: 0, refused: 0, failed: 0, unanswered: 0 };
  for (const answer of answers.values()) sent[answer] += 1;
  const stored = { rows: 0, accepted: 0, refused: 0, failed: 0, unanswered: 0, unsent: 0 };
  let storedTwice = 0;
  for (const [mid, rows] of storedRows) {
    stored.rows += rows;
    stored[answers.get(mid) ?? 'unsent'] += 1;
    if (rows > 1) storedTwice += 1;
  }
  const missingExamples: string[] = [];
  for (const [mid, answer] of answers) {
    if (missingExamples.length === MISSING_EXAMPLES) break;
    if (answer === 'accepted' && !storedRows.has(mid)) missingExamples.push(mid);
  }
  const faults = [
    ...(sent.accepted > stored.accepted
      ? [`${sent.accepted - stored.accepted} deliveries answered 200 are not stored`]
      : []),
    ...(stored.refused > 0 ? [`${stored.refused} deliveries answered 503 are stored`] : []),
    ...(storedTwice > 0 ? [`${storedTwice} mids are stored more than once`] : []),
    ...(stored.unsent > 0 ? [`${stored.unsent} stored messages carry a mid the bench never sent`] : []),
  ];
  return { balanced: faults.length === 0, faults, sent, stored, storedTwice, missingExamples };
}
