import { Injectable } from '@nestjs/common';
import type { LoginType } from '@graph-api';
import { MessagingSettings } from '../messaging-settings';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Keeps this process's Send API calls for each account under Meta's
 * per-account rate for its login type (a token bucket), and holds an account back while Meta
 * says it is over a limit. The buckets are per process: N replicas may send
 * up to N times the rate together, and Meta's rate-limit answers (retried
 * with backoff) cover the rest.
 */
@Injectable()
export class SendRateLimiter {
  private readonly perSecond: Record<LoginType, number>;
  private readonly buckets = new Map<string, Bucket>();
  private readonly cooldowns = new Map<string, number>();

  constructor(settings: MessagingSettings) {
    this.perSecond = settings.outbox.messagesPerSecondPerAccount;
  }

  /** Takes the slot of one call; answers how many milliseconds to wait before making it. */
  reserve(accountId: string, now: number, loginType: LoginType = 'instagram'): number {
    const perSecond = this.perSecond[loginType];
    const bucket = this.buckets.get(accountId) ?? { tokens: perSecond, refilledAt: now };
    const refill = ((now - bucket.refilledAt) * perSecond) / 1000;
    bucket.tokens = Math.min(perSecond, bucket.tokens + Math.max(0, refill)) - 1;
    bucket.refilledAt = Math.max(now, bucket.refilledAt);
    this.buckets.set(accountId, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens * 1000) / perSecond);
  }

  /** Meta answered with a rate limit: no calls for this account from here until `until`. */
  coolDown(accountId: string, until: Date): void {
    this.cooldowns.set(accountId, Math.max(until.getTime(), this.cooldowns.get(accountId) ?? 0));
  }

  /** The end of the account's cool-down, or null when it may call Meta now. */
  coolingDownUntil(accountId: string, now: number): Date | null {
    const until = this.cooldowns.get(accountId);
    if (until === undefined) return null;
    if (until > now) return new Date(until);
    this.cooldowns.delete(accountId);
    return null;
  }
}
