import { Injectable } from '@nestjs/common';
import { RecentValue } from '@common';
import type { MessageTemplate } from './message-template';
import { MessageTemplateRepository } from './message-template.repository';

/** How stale another replica's template change may be here: as for rules, well inside the promised 5 seconds. */
export const TEMPLATE_MAX_AGE_MS = 2000;

const keyOf = (accountId: string, name: string) => `${accountId}\u0000${name.trim().toLowerCase()}`;

/**
 * The templates automatic replies answer with, by account and name, read at
 * most every couple of seconds: a burst of messages matching a template rule
 * reads the template once, not once per batch. A change made on this replica
 * (`forget`) applies at once.
 */
@Injectable()
export class RecentTemplates {
  private readonly byName = new Map<string, RecentValue<MessageTemplate | null>>();

  constructor(private readonly templates: MessageTemplateRepository) {}

  /** The account's template of this name (ignoring case), or null; `now` is for tests. */
  get(accountId: string, name: string, now: () => number = Date.now): Promise<MessageTemplate | null> {
    const key = keyOf(accountId, name);
    let recent = this.byName.get(key);
    if (!recent) {
      recent = new RecentValue(TEMPLATE_MAX_AGE_MS, () => this.templates.getByName(accountId, name.trim()), now);
      this.byName.set(key, recent);
    }
    return recent.get();
  }

  /** The account's templates changed here: each is read again when next asked for. */
  forget(accountId: string): void {
    for (const key of this.byName.keys()) if (key.startsWith(`${accountId}\u0000`)) this.byName.delete(key);
  }
}
