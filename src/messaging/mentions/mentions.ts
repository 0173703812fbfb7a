import type { Page } from '@common';
import type { Mention } from './mention';

export interface MentionFilter {
  mediaId?: string;
}

/** The account's mentions as kept by the intake, for operators to list. */
export abstract class Mentions {
  /** Newest first. */
  abstract list(accountId: string, filter: MentionFilter, limit: number, cursor: string | null): Promise<Page<Mention>>;
}
