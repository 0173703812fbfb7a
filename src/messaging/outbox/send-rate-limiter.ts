import { Injectable } from '@nestjs/common';
import { SLOW_MEDIA_TYPES, type LoginType, type MediaType } from '@graph-api';
import type { Message } from '../message';
import { MessagingSettings } from '../messaging-settings';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Meta's two rates per account: audio and video (`slow_media`, 10 calls per
 * second) apart from everything else (`standard`: text, links, stickers,
 * images, templates).
 */
export type RateClass = 'standard' | 'slow_media';

/** The rate a message's Send API call counts against. */
export function rateClassOf(message: Pick<Message, 'payload'>): RateClass {
  const attachment = message.payload?.attachment as { type?: unknown } | undefined;
  return SLOW_MEDIA_TYPES.includes(attachment?.type as MediaType) ? 'slow_media' : 'standard';
}

/**
 * Keeps this process's Send API calls for each account under Meta's
 * per-account rates (token buckets: one for the login type's standard rate,
 * one for audio and video), and holds an account back while Meta says it is
 * over a limit. The buckets are per process: N replicas may send up to N
 * times the rate together, and Meta's rate-limit answers (retried with
 * backoff) cover the rest.
 */
@Injectable()
export class SendRateLimiter {
  private readonly perSecond: Record<LoginType, number>;
  private readonly slowMediaPerSecond: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly slowMediaBuckets = new Map<string, Bucket>();
  private readonly cooldowns = new Map<string, number>();

  constructor(settings: MessagingSettings) {
    this.perSecond = settings.outbox.messagesPerSecondPerAccount;
    this.slowMediaPerSecond = settings.outbox.slowMediaPerSecondPerAccount;
  }

  /** Takes the slot of one standard call; answers how many milliseconds to wait before making it. */
  reserve(accountId: string, now: number, loginType: LoginType = 'instagram'): number {
    const perSecond = this.perSecond[loginType];
    const bucket = refilled(this.buckets, accountId, perSecond, now);
    bucket.tokens -= 1;
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens * 1000) / perSecond);
  }

  /**
   * Takes the slot of one audio or video call if one is free now (answers 0);
   * otherwise takes nothing and answers how many milliseconds until one is.
   * A slow call never waits in a sending slot: it goes back to the queue, so
   * queued audio and video cannot hold every slot while text waits behind them.
   */
  tryReserveSlowMedia(accountId: string, now: number): number {
    const perSecond = this.slowMediaPerSecond;
    const bucket = refilled(this.slowMediaBuckets, accountId, perSecond, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / perSecond);
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

/** The account's bucket, topped up for the time since it was last used (at most a second's worth). */
function refilled(buckets: Map<string, Bucket>, accountId: string, perSecond: number, now: number): Bucket {
  const bucket = buckets.get(accountId) ?? { tokens: perSecond, refilledAt: now };
  const refill = ((now - bucket.refilledAt) * perSecond) / 1000;
  bucket.tokens = Math.min(perSecond, bucket.tokens + Math.max(0, refill));
  bucket.refilledAt = Math.max(now, bucket.refilledAt);
  buckets.set(accountId, bucket);
  return bucket;
}
