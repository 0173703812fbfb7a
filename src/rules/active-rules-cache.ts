import { Injectable } from '@nestjs/common';
import type { ResponseRule } from './response-rule';
import { RuleRepository } from './rule.repository';

/** How stale another replica's rule change may be here: well inside the promised 5 seconds. */
export const RULES_VERSION_CHECK_MS = 2000;

interface CachedRules {
  version: number;
  rules: ResponseRule[];
  checkedAt: number;
}

/**
 * Active rules per account, in memory, so matching a message needs no query.
 * Every couple of seconds an account's rules version (one indexed read) is
 * compared with the cached one; rules are reloaded only when it moved. A
 * change made on this replica invalidates at once.
 */
@Injectable()
export class ActiveRulesCache {
  private readonly cached = new Map<string, CachedRules>();

  constructor(private readonly rules: RuleRepository) {}

  async activeRules(accountId: string, now = Date.now()): Promise<ResponseRule[]> {
    const entry = this.cached.get(accountId);
    if (entry && now - entry.checkedAt < RULES_VERSION_CHECK_MS) return entry.rules;
    // The version is read before the rules: a change in between only causes one extra reload later.
    const version = await this.rules.getVersion(accountId);
    if (entry && entry.version === version) {
      entry.checkedAt = now;
      return entry.rules;
    }
    const rules = await this.rules.getActiveRules(accountId);
    this.cached.set(accountId, { version, rules, checkedAt: now });
    return rules;
  }

  invalidate(accountId: string): void {
    this.cached.delete(accountId);
  }
}
