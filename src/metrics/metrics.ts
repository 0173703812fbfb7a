import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * What became of one webhook delivery (one POST from Meta):
 * - `accepted`: verified and stored, with at least one event new to the service;
 * - `duplicate`: verified and stored, but every event was already known (Meta redelivers);
 * - `unroutable`: verified and stored, with at least one entry or event no account may apply;
 * - `bad_signature`, `unknown_account`, `invalid_payload`: refused (403, 404, 400);
 * - `overloaded`: refused with 503 before any of it was stored (the intake is over its limits); Meta retries it;
 * - `error`: not stored (a 5xx, usually the database): Meta retries it.
 */
export type WebhookDeliveryResult =
  | 'accepted'
  | 'duplicate'
  | 'unroutable'
  | 'bad_signature'
  | 'unknown_account'
  | 'invalid_payload'
  | 'overloaded'
  | 'error';

/** What became of one attempt to send an outbox message (the dispatcher's outcomes). */
export type OutboundSendOutcome = 'sent' | 'retry' | 'failed' | 'held' | 'lease_lost';

/**
 * What became of a private reply to a comment: `queued` by a comment rule;
 * `sent` by the outbox; `refused` outside the 7 days Meta allows after the
 * comment; `waiting` over the account's hourly budget (it is sent later);
 * `failed` when Meta refused it or it was given up.
 */
export type PrivateReplyOutcome = 'queued' | 'sent' | 'refused' | 'waiting' | 'failed';

/** `ok`, or how the call failed (a `GraphErrorKind`). */
export type GraphApiCallOutcome = 'ok' | 'transient' | 'rate_limited' | 'invalid_token' | 'permanent' | 'uncertain';

/** Why the intake refused a delivery with 503 before storing any of it. */
export type IntakeRefusal = 'queue_full' | 'wait_exceeded';

/** Deliveries per intake transaction: one alone when idle, up to hundreds under a burst. */
const BATCH_DELIVERIES_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/** Statements per intake transaction: a fixed handful, plus one per rarer event. */
const BATCH_STATEMENTS_BUCKETS = [2, 4, 6, 8, 10, 12, 16, 24, 32, 64, 128];
/** The tables whose old rows DELIVERY_RETENTION deletes. */
export type RetainedTable = 'webhook_deliveries' | 'unroutable_events' | 'event_deliveries';

/** What became of one attempt to deliver an event to an endpoint. */
export type EventDeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** Endpoints answer within milliseconds to the 15-second timeout. */
const EVENT_DELIVERY_SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

/**
 * From a webhook request's first middleware to its answer: milliseconds when
 * idle, up to INTAKE_MAX_WAIT under load; Meta gives up after 5 s.
 */
const WEBHOOK_ANSWER_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

/** Graph API calls last tens of milliseconds to the client's 10-second timeout. */
const GRAPH_API_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's own Prometheus metrics, with one typed method per thing
 * counted, so that no caller picks metric names or labels. Labels are only
 * ever bounded values (results, event types, rule ids, Meta's error codes,
 * operations), never an IGSID, a mid or message text.
 */
@Injectable()
export class Metrics {
  private readonly webhookDeliveries: Counter<'result'>;
  private readonly webhookEvents: Counter<'type'>;
  private readonly webhookAnswerSeconds: Histogram<'status'>;
  private readonly autoReplies: Counter<'source'>;
  private readonly ruleHits: Counter<'rule_id'>;
  private readonly outboundSends: Counter<'outcome' | 'error_code'>;
  private readonly privateReplies: Counter<'account_id' | 'outcome'>;
  private readonly graphApiSeconds: Histogram<'operation' | 'outcome'>;
  private readonly intakeRefusals: Counter<'reason'>;
  private readonly unreadableAccountEntries: Counter;
  private readonly intakeBatchDeliveries: Histogram;
  private readonly intakeBatchStatements: Histogram;
  private readonly retentionPurgedRows: Counter<'table'>;
  private readonly eventDeliveries: Counter<'endpoint_id' | 'outcome'>;
  private readonly eventDeliverySeconds: Histogram<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.webhookDeliveries = new Counter({
      name: 'gateway_webhook_deliveries_total',
      help: 'Webhook deliveries (POSTs from Meta) by result',
      labelNames: ['result'],
      registers,
    });
    this.webhookEvents = new Counter({
      name: 'gateway_webhook_events_total',
      help: 'Events in stored webhook deliveries, by type (message, postback, reaction, seen, ...)',
      labelNames: ['type'],
      registers,
    });
    this.autoReplies = new Counter({
      name: 'gateway_auto_replies_total',
      help: 'Automatic replies queued, by source (rule or fallback)',
      labelNames: ['source'],
      registers,
    });
    this.ruleHits = new Counter({
      name: 'gateway_rule_hits_total',
      help: 'Automatic replies queued by each response rule',
      labelNames: ['rule_id'],
      registers,
    });
    this.privateReplies = new Counter({
      name: 'gateway_private_replies_total',
      help: 'Private replies to comments per account: queued, sent, refused (over 7 days), waiting (over the hourly budget), failed',
      labelNames: ['account_id', 'outcome'],
      registers,
    });
    this.outboundSends = new Counter({
      name: 'gateway_outbound_sends_total',
      help: "Outbox send attempts by outcome and Meta's error code (none when Meta gave none)",
      labelNames: ['outcome', 'error_code'],
      registers,
    });
    this.graphApiSeconds = new Histogram({
      name: 'gateway_graph_api_request_duration_seconds',
      help: 'Graph API calls by operation and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: GRAPH_API_SECONDS_BUCKETS,
      registers,
    });
    this.webhookAnswerSeconds = new Histogram({
      name: 'gateway_webhook_answer_duration_seconds',
      help: 'How long the service took to answer webhook deliveries (POST), from reading the request to the answer, by HTTP status',
      labelNames: ['status'],
      buckets: WEBHOOK_ANSWER_SECONDS_BUCKETS,
      registers,
    });
    this.intakeRefusals = new Counter({
      name: 'gateway_intake_refused_total',
      help: 'Webhook deliveries refused with 503 before any of them was stored, by reason (queue_full, wait_exceeded)',
      labelNames: ['reason'],
      registers,
    });
    this.unreadableAccountEntries = new Counter({
      name: 'gateway_webhook_unreadable_account_entries_total',
      help: 'Shared-route webhook entries kept as unroutable because their account’s stored credentials cannot be decrypted',
      registers,
    });
    this.intakeBatchDeliveries = new Histogram({
      name: 'gateway_intake_batch_deliveries',
      help: 'Webhook deliveries written by each committed intake transaction (its count is the number of commits)',
      buckets: BATCH_DELIVERIES_BUCKETS,
      registers,
    });
    this.intakeBatchStatements = new Histogram({
      name: 'gateway_intake_batch_statements',
      help: 'SQL statements of each committed intake transaction, besides BEGIN and COMMIT',
      buckets: BATCH_STATEMENTS_BUCKETS,
      registers,
    });
    this.retentionPurgedRows = new Counter({
      name: 'gateway_retention_purged_rows_total',
      help: 'Rows deleted because they were older than DELIVERY_RETENTION, by table',
      labelNames: ['table'],
      registers,
    });
    this.eventDeliveries = new Counter({
      name: 'gateway_event_deliveries_total',
      help: 'Attempts to deliver an event, by endpoint and outcome (delivered, retry, failed)',
      labelNames: ['endpoint_id', 'outcome'],
      registers,
    });
    this.eventDeliverySeconds = new Histogram({
      name: 'gateway_event_delivery_duration_seconds',
      help: 'How long attempts to deliver an event took, by outcome',
      labelNames: ['outcome'],
      buckets: EVENT_DELIVERY_SECONDS_BUCKETS,
      registers,
    });
  }

  /** One attempt to deliver an event; `endpointId` is the endpoint's id (endpoints are few). */
  eventDelivery(endpointId: string, outcome: EventDeliveryOutcome, seconds: number): void {
    this.eventDeliveries.inc({ endpoint_id: endpointId, outcome });
    this.eventDeliverySeconds.observe({ outcome }, seconds);
  }

  webhookEntryOfUnreadableAccount(): void {
    this.unreadableAccountEntries.inc();
  }

  intakeRefused(reason: IntakeRefusal): void {
    this.intakeRefusals.inc({ reason });
  }

  /** One committed intake transaction: how many deliveries it held and how many statements it took. */
  intakeBatch(deliveries: number, statements: number): void {
    this.intakeBatchDeliveries.observe(deliveries);
    this.intakeBatchStatements.observe(statements);
  }

  /**
   * One webhook delivery answered, with its status, `seconds` after the
   * service began reading it. Time spent before that, in the kernel's queues
   * while the process was busy, is not in it: Meta's clock includes it.
   */
  webhookAnswered(status: number, seconds: number): void {
    this.webhookAnswerSeconds.observe({ status: String(status) }, seconds);
  }

  webhookDelivery(result: WebhookDeliveryResult): void {
    this.webhookDeliveries.inc({ result });
  }

  /** One event of a stored delivery; `type` is the parsed event's kind. */
  webhookEvent(type: string): void {
    this.webhookEvents.inc({ type });
  }

  /** An automatic reply was queued; `ruleId` names the rule that answered (null for the fallback). */
  autoReply(source: 'rule' | 'fallback', ruleId: string | null): void {
    this.autoReplies.inc({ source });
    if (ruleId !== null) this.ruleHits.inc({ rule_id: ruleId });
  }

  /** One outbox message's send attempt; `errorCode` is Meta's `error.code` when the attempt failed with one. */
  outboundSend(outcome: OutboundSendOutcome, errorCode?: number | null): void {
    this.outboundSends.inc({ outcome, error_code: errorCode == null ? 'none' : String(errorCode) });
  }

  /** A private reply to a comment; `accountId` is the account's id (accounts are few, as endpoints are). */
  privateReply(accountId: string, outcome: PrivateReplyOutcome): void {
    this.privateReplies.inc({ account_id: accountId, outcome });
  }

  /** Rows one batch of the retention purge deleted (0 too, so the series exists from the first round). */
  retentionPurged(table: RetainedTable, rows: number): void {
    this.retentionPurgedRows.inc({ table }, rows);
  }

  /** Starts timing one Graph API call; the returned function records it with its outcome. */
  startGraphApiCall(operation: string): (outcome: GraphApiCallOutcome) => void {
    const end = this.graphApiSeconds.startTimer({ operation });
    return (outcome) => {
      end({ outcome });
    };
  }
}
