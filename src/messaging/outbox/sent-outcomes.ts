import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@common';
import type { Message } from '../message';
import { MessagingEvents } from '../reporting/messaging-events';
import type { MarkSentResult, SentMessage } from './outbox.repository';
import { OutboxRepository } from './outbox.repository';

/** The message as recording it sent leaves it: Meta's id, the time, one more attempt (unless none was made). */
export function asSent(message: Message, mid: string | null, at: Date, attemptMade = true): Message {
  const attempts = message.attempts + (attemptMade ? 1 : 0);
  return { ...message, status: 'sent', mid, sentAt: at, nextAttemptAt: null, attempts };
}

/** Enough for every send one dispatcher has in flight, in one statement. */
const MAX_BATCH = 200;

interface SentByOwner extends SentMessage {
  owner: string;
}

/**
 * Records the messages Meta accepted. Sends that finish while one record is
 * being written are written together, in one statement, so a burst of
 * replies costs one write per batch rather than one per message; a send that
 * finishes alone is written at once. Each is reported `message.sent` in the
 * same transaction, to the endpoints that want it.
 */
@Injectable()
export class SentOutcomes {
  private readonly batches: GroupCommit<SentByOwner, MarkSentResult>;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly events: MessagingEvents,
  ) {
    this.batches = new GroupCommit((sent) => this.write(sent), {
      maxInFlight: 1,
      maxBatchWeight: MAX_BATCH,
      maxBatchBytes: Number.POSITIVE_INFINITY,
      maxQueueBytes: Number.POSITIVE_INFINITY,
      maxWaitMs: Number.POSITIVE_INFINITY,
    });
  }

  record(owner: string, sent: SentMessage): Promise<MarkSentResult> {
    return this.batches.submit({ owner, ...sent }, 0, 1);
  }

  /** One statement per lease owner (in a process there is one). */
  private async write(sent: SentByOwner[]) {
    const results = new Map<SentByOwner, MarkSentResult>();
    for (const owner of new Set(sent.map((s) => s.owner))) {
      const ofOwner = sent.filter((s) => s.owner === owner);
      const accounts = [...new Set(ofOwner.map((s) => s.message.accountId))];
      const recorded = await this.events.reportingIn('message.sent', accounts, async (report) => {
        const outcomes = await this.outbox.markManySent(owner, ofOwner);
        ofOwner.forEach((s, index) => {
          if (outcomes[index] === 'recorded')
            report({ event: 'message.sent', message: asSent(s.message, s.mid, s.at) });
        });
        return outcomes;
      });
      ofOwner.forEach((s, index) => results.set(s, recorded[index]));
    }
    return sent.map((s) => ({ ok: true as const, value: results.get(s) as MarkSentResult }));
  }
}
