import type { Page } from '@common';
import type { KeptEntry, UnroutableEvent, UnroutableFilter } from './unroutable-event';

/** The kept unroutable entries, for operators to list and for a replay to apply. */
export abstract class UnroutableEvents {
  /** Newest first. */
  abstract list(filter: UnroutableFilter, limit: number, cursor: string | null): Promise<Page<UnroutableEvent>>;
  /**
   * Whole entries for this Instagram account that no replay has applied yet,
   * oldest first, after `afterId`, with their deliveries.
   */
  abstract pendingEntries(entryId: string, afterId: string | null, limit: number): Promise<KeptEntry[]>;
  abstract markApplied(ids: string[], now: Date): Promise<void>;
}
