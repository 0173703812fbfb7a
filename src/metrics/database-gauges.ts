import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PUBLIC_FIGURES_MAX_AGE_MS, RecentValue } from '@common';
import { dateFromRawColumn } from '@database';

const DAY_MS = 86_400_000;

/** How long an active account's access token has left (non-cumulative: `lt_7d` is 1 to 7 days). */
export type TokenExpiryBucket = 'expired' | 'lt_1d' | 'lt_7d' | 'lt_30d' | 'gte_30d' | 'unknown';

const TOKEN_EXPIRY_BUCKETS: readonly TokenExpiryBucket[] = [
  'expired',
  'lt_1d',
  'lt_7d',
  'lt_30d',
  'gte_30d',
  'unknown',
];

/** `unknown`: the service has not learnt the expiry yet (no refresh so far). */
export function tokenExpiryBucket(expiresAt: Date | null, now: number): TokenExpiryBucket {
  if (expiresAt === null) return 'unknown';
  const daysLeft = (expiresAt.getTime() - now) / DAY_MS;
  if (daysLeft <= 0) return 'expired';
  if (daysLeft < 1) return 'lt_1d';
  if (daysLeft < 7) return 'lt_7d';
  if (daysLeft < 30) return 'lt_30d';
  return 'gte_30d';
}

interface OutboxRow {
  queued: number | string;
  oldest: unknown;
}

interface AccountRow {
  status: string;
  expires: unknown;
}

interface EventRow {
  pending: number | string;
  oldest: unknown;
  disabled: number | string;
}

interface GaugeRows {
  outbox: OutboxRow[];
  accounts: AccountRow[];
  events: EventRow[];
}

/**
 * Gauges read from the database when Prometheus scrapes, so every replica
 * reports the same shared state and nothing runs between scrapes: the outbox
 * backlog (the `messages` rows still `queued`, held ones included), the
 * access tokens of the active accounts, and the event deliveries pending and
 * endpoints disabled. The queries stay on small sets: the queued and pending
 * rows (through the outbox indexes), the accounts and endpoints, and their rows
 * are reused for a few seconds, however often the (unauthenticated) route is
 * scraped. The gauges live in a registry of their own, left out of a scrape
 * when the database does not answer: no value rather than a made-up one.
 */
@Injectable()
export class DatabaseGauges {
  private readonly logger = new Logger(DatabaseGauges.name);
  private readonly outboxQueued: Gauge;
  private readonly outboxOldestAge: Gauge;
  private readonly tokens: Gauge<'days_left'>;
  private readonly invalidTokens: Gauge;
  private readonly eventsPending: Gauge;
  private readonly eventsOldestPendingAge: Gauge;
  private readonly eventEndpointsDisabled: Gauge;

  private readonly registry = new Registry();
  private readonly rows: RecentValue<GaugeRows>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new RecentValue(PUBLIC_FIGURES_MAX_AGE_MS, () => this.readRows());
    const registers = [this.registry];
    this.outboxQueued = new Gauge({
      name: 'gateway_outbox_queued_messages',
      help: 'Outbound messages waiting to be sent (status queued, held ones included)',
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'gateway_outbox_oldest_queued_age_seconds',
      help: 'Age of the oldest queued outbound message; 0 when none is queued',
      registers,
    });
    this.tokens = new Gauge({
      name: 'gateway_account_tokens',
      help: 'Access tokens of active accounts by time left: expired, lt_1d, lt_7d, lt_30d, gte_30d, unknown',
      labelNames: ['days_left'],
      registers,
    });
    this.invalidTokens = new Gauge({
      name: 'gateway_account_tokens_invalid',
      help: 'Active accounts whose access token Meta rejected (their queues are held)',
      registers,
    });
    this.eventsPending = new Gauge({
      name: 'gateway_event_deliveries_pending',
      help: 'Event deliveries waiting to reach their endpoint (first attempts and retries)',
      registers,
    });
    this.eventsOldestPendingAge = new Gauge({
      name: 'gateway_event_deliveries_oldest_pending_age_seconds',
      help: 'Age of the oldest event delivery still pending; 0 when none is',
      registers,
    });
    this.eventEndpointsDisabled = new Gauge({
      name: 'gateway_event_endpoints_disabled',
      help: 'Event endpoints that get no events: disabled after 24 hours without success, or by an operator',
      registers,
    });
  }

  /** The gauges' current values in Prometheus' text format; empty when the database does not answer. */
  async metrics(now = Date.now()): Promise<string> {
    try {
      const { outbox, accounts, events } = await this.rows.get();
      const ageOf = (value: unknown) => {
        const oldest = dateFromRawColumn(value);
        return oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0;
      };
      this.outboxQueued.set(Number(outbox[0]?.queued ?? 0));
      this.outboxOldestAge.set(ageOf(outbox[0]?.oldest));
      this.setTokens(accounts, now);
      this.eventsPending.set(Number(events[0]?.pending ?? 0));
      this.eventsOldestPendingAge.set(ageOf(events[0]?.oldest));
      this.eventEndpointsDisabled.set(Number(events[0]?.disabled ?? 0));
      return await this.registry.metrics();
    } catch (error) {
      this.logger.debug({ err: error }, 'database gauges left out of the scrape: the database did not answer');
      return '';
    }
  }

  private async readRows(): Promise<GaugeRows> {
    const [outbox, accounts, events] = await Promise.all([
      this.dataSource.query<OutboxRow[]>(
        "SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM messages WHERE status = 'queued'",
      ),
      this.dataSource.query<AccountRow[]>(
        'SELECT token_status AS status, token_expires_at AS expires FROM accounts WHERE is_active = 1',
      ),
      this.dataSource.query<EventRow[]>(
        `SELECT COUNT(*) AS pending, MIN(created_at) AS oldest,
           (SELECT COUNT(*) FROM event_endpoints WHERE enabled = 0) AS disabled
         FROM event_deliveries WHERE status = 'pending'`,
      ),
    ]);
    return { outbox, accounts, events };
  }

  private setTokens(accounts: AccountRow[], now: number): void {
    const counts = new Map<TokenExpiryBucket, number>(TOKEN_EXPIRY_BUCKETS.map((bucket) => [bucket, 0]));
    for (const { expires } of accounts) {
      const bucket = tokenExpiryBucket(dateFromRawColumn(expires), now);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    for (const [bucket, count] of counts) this.tokens.set({ days_left: bucket }, count);
    this.invalidTokens.set(accounts.filter((a) => a.status === 'invalid').length);
  }
}
