export const BACKFILL_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/**
 * Where a job is in the account's conversation list: the cursor of the page
 * it is reading (null: the first page) and how many conversations of that
 * page it has finished. A job resumed after a restart reads that page again
 * and goes on after them.
 */
export interface BackfillCursor {
  after: string | null;
  done: number;
}

/** A backfill of one account's messages since a time, through Meta's Conversations API. */
export interface BackfillJob {
  id: string;
  accountId: string;
  status: BackfillStatus;
  since: Date;
  cursor: BackfillCursor;
  conversationsScanned: number;
  messagesAdded: number;
  /** Missing messages older than the 20 most recent of their conversation, whose details Meta does not give. */
  messagesUnavailable: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** What a job has done so far, saved after each conversation. */
export type BackfillProgress = Pick<
  BackfillJob,
  'cursor' | 'conversationsScanned' | 'messagesAdded' | 'messagesUnavailable'
>;
