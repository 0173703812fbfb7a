import { createHash } from 'node:crypto';
import type { InstagramBusinessAccount } from '@accounts';
import { eventKey } from './events/event-key';
import { participantId } from './events/event-participant';
import type { ChangeEvent, InstagramEvent, MessageEvent, PostbackEvent } from './events/instagram-event';
import { isAnswerableComment, isReplyCandidate } from './events/reply-candidate';
import type { MessageSource, MessageType } from '../message';
import { mentionKeyOf } from '../mentions/mention';
import { messageTypeOf } from './message-type';
import type { IntakeSource, VerifiedDelivery } from './verified-delivery';

/** A raw delivery row; bodies Meta sends again have the same digest and are kept once. */
export interface DeliveryRow {
  id: string;
  accountId: string | null;
  body: string;
  bodySha256: string;
  signature: string;
  receivedAt: Date;
}

/** An entry or event no account may apply, kept with the delivery it came in (by digest) and its place there. */
export interface UnroutableRow {
  id: string;
  accountId: string | null;
  bodySha256: string;
  entryId: string;
  reason: string;
  payload: string;
  itemKey: string;
}

/** A conversation the batch's messages belong to, with the latest customer activity they bring. */
export interface ConversationTouch {
  /** Used only if the conversation is new. */
  id: string;
  accountId: string;
  participantId: string;
  lastActivityAt: Date;
}

/** A customer's message or postback, as the row the batch inserts unless its mid or event key is stored. */
export interface InboundRow {
  id: string;
  accountId: string;
  participantId: string;
  type: MessageType;
  text: string | null;
  mid: string | null;
  eventKey: string | null;
  senderId: string;
  recipientId: string;
  attachments: string | null;
  metadata: string | null;
  occurredAt: Date;
  isStandby: boolean;
  source: MessageSource;
  /** It may deserve an automatic reply (rules, pauses and the window decide). */
  replyCandidate: boolean;
  /** A postback's or a tapped quick reply's payload, which `postback` rules answer; not a column of its own. */
  replyPayload: string | null;
}

/** An event of a kind that changes other rows (echoes, reactions, edits, ...): applied one by one in the batch. */
export interface RareEvent {
  deliveryIndex: number;
  account: InstagramBusinessAccount;
  event: PerEventKind;
  participantId: string;
  source: IntakeSource;
  /** A comment that comment rules may answer with a private reply, as it happens (never one recovered later). */
  replyCandidate: boolean;
}

/** A mention of the account, as the row the batch inserts unless the account has it already. */
export interface MentionRow {
  id: string;
  accountId: string;
  mediaId: string;
  commentId: string | null;
  mentionKey: string;
  mentionedAt: Date;
  source: MessageSource;
}

/** A comment the account itself made: never a customer's, and, when it is the account's public reply, its echo. */
export interface OwnComment {
  deliveryIndex: number;
  account: InstagramBusinessAccount;
  event: ChangeEvent;
}

/** Every kind but customer messages and postbacks, which only add rows and are inserted together. */
export type PerEventKind = Exclude<InstagramEvent, PostbackEvent>;

/** One delivery's share of the batch, to tell it what became of its events. */
export interface DeliveryShare {
  /** Each of its customer messages: the row that carries it, and whether it is that row's first occurrence in the batch. */
  inbound: Array<{ rowId: string; first: boolean }>;
  /** Each of its mentions, as `inbound`. */
  mentions: Array<{ rowId: string; first: boolean }>;
  unroutable: number;
}

/**
 * The rows of a batch of deliveries, each table's rows free of duplicates and
 * sorted by their unique key, so that two replicas writing overlapping
 * batches take their locks in the same order.
 */
export interface IntakePlan {
  deliveries: DeliveryRow[];
  unroutable: UnroutableRow[];
  conversations: ConversationTouch[];
  inbound: InboundRow[];
  mentions: MentionRow[];
  rare: RareEvent[];
  ownComments: OwnComment[];
  shares: DeliveryShare[];
}

export interface PlanContext {
  now: Date;
  newId: () => string;
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (...parts: string[]): string => parts.join('\u0000');

const compactJson = (fields: Record<string, unknown>): string | null => {
  const kept = Object.entries(fields).filter(([, value]) => value !== null && value !== undefined);
  return kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null;
};

/** Customer messages and postbacks only add rows; every other kind updates rows too and takes the per-event path. */
function pathOf(
  event: InstagramEvent,
): { path: 'inbound'; event: MessageEvent | PostbackEvent } | { path: 'per_event'; event: PerEventKind } {
  if (event.kind === 'postback') return { path: 'inbound', event };
  if (event.kind === 'message' && !event.isEcho) return { path: 'inbound', event };
  return { path: 'per_event', event };
}

/** Lays a batch of verified deliveries out as rows; pure, so that what a batch writes can be tested without a database. */
export function planIntakeBatch(deliveries: readonly VerifiedDelivery[], context: PlanContext): IntakePlan {
  const deliveryRows = new Map<string, DeliveryRow>();
  const unroutable = new Map<string, UnroutableRow>();
  const conversations = new Map<string, ConversationTouch>();
  const inbound = new Map<string, InboundRow>();
  const mentions = new Map<string, MentionRow>();
  const rare: RareEvent[] = [];
  const ownComments: OwnComment[] = [];
  const shares: DeliveryShare[] = [];

  deliveries.forEach((delivery, deliveryIndex) => {
    const source = delivery.source ?? 'webhook';
    const bodySha256 = createHash('sha256').update(delivery.rawBody).digest('hex');
    // A recovered delivery is no webhook's: a replayed one is kept already, a backfilled one never came.
    if (source === 'webhook' && !deliveryRows.has(bodySha256)) {
      deliveryRows.set(bodySha256, {
        id: context.newId(),
        accountId: delivery.routeAccountId,
        body: delivery.rawBody.toString('utf8'),
        bodySha256,
        signature: delivery.signature,
        receivedAt: context.now,
      });
    }
    const share: DeliveryShare = { inbound: [], mentions: [], unroutable: 0 };
    shares.push(share);
    const keep = (accountId: string | null, entryId: string, reason: string, raw: unknown, itemKey: string) => {
      share.unroutable += 1;
      const key = keyOf(bodySha256, itemKey);
      if (unroutable.has(key)) return;
      const payload = JSON.stringify(raw);
      unroutable.set(key, { id: context.newId(), accountId, bodySha256, entryId, reason, payload, itemKey });
    };

    delivery.entries.forEach((route, entryIndex) => {
      const { entry } = route;
      if (route.account === null) {
        keep(delivery.routeAccountId, entry.entryId, route.reason, entry.raw, String(entryIndex));
        return;
      }
      const account = route.account;
      entry.events.forEach((event, eventIndex) => {
        if (event.kind === 'change' && event.comment !== null && event.senderId === account.igUserId) {
          ownComments.push({ deliveryIndex, account, event });
          return;
        }
        if (event.kind === 'change' && event.mention !== null) {
          const { mediaId, commentId } = event.mention;
          const mentionKey = mentionKeyOf(event.mention);
          const key = keyOf(account.id, mentionKey);
          const existing = mentions.get(key);
          const row = existing ?? {
            id: context.newId(),
            accountId: account.id,
            mediaId,
            commentId,
            mentionKey,
            mentionedAt: event.timestamp,
            source,
          };
          share.mentions.push({ rowId: row.id, first: existing === undefined });
          mentions.set(key, row);
          return;
        }
        const participant = participantId(event, account.igUserId);
        if (participant === null) {
          keep(account.id, entry.entryId, 'no_participant', event.raw, `${entryIndex}.${eventIndex}`);
          return;
        }
        const routed = pathOf(event);
        if (routed.path === 'per_event') {
          const replyCandidate =
            source === 'webhook' && event.kind === 'change' && isAnswerableComment(account.igUserId, event);
          rare.push({
            deliveryIndex,
            account,
            event: routed.event,
            participantId: participant,
            source,
            replyCandidate,
          });
          return;
        }
        const row = inboundRow(account.id, participant, routed.event, source, context);
        const key = keyOf(account.id, row.mid ?? '', row.eventKey ?? '');
        const existing = inbound.get(key);
        share.inbound.push({ rowId: existing?.id ?? row.id, first: existing === undefined });
        if (!existing) inbound.set(key, row);
        touch(conversations, account.id, participant, row.occurredAt, context);
      });
    });
  });

  const sortedBy = <T>(map: Map<string, T>): T[] =>
    [...map.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, value]) => value);
  return {
    deliveries: sortedBy(deliveryRows),
    unroutable: sortedBy(unroutable),
    conversations: sortedBy(conversations),
    inbound: sortedBy(inbound),
    mentions: sortedBy(mentions),
    rare,
    ownComments,
    shares,
  };
}

function touch(
  conversations: Map<string, ConversationTouch>,
  accountId: string,
  participantId: string,
  at: Date,
  context: PlanContext,
): void {
  const key = keyOf(accountId, participantId);
  const current = conversations.get(key);
  if (!current) conversations.set(key, { id: context.newId(), accountId, participantId, lastActivityAt: at });
  else if (at.getTime() > current.lastActivityAt.getTime()) current.lastActivityAt = at;
}

function inboundRow(
  accountId: string,
  participant: string,
  event: MessageEvent | PostbackEvent,
  source: IntakeSource,
  context: PlanContext,
): InboundRow {
  const base = {
    id: context.newId(),
    accountId,
    participantId: participant,
    senderId: event.senderId,
    recipientId: event.recipientId,
    occurredAt: event.timestamp,
    isStandby: event.standby,
    source,
    // What is recovered afterwards was due an answer long ago, if ever: it is never answered now.
    replyCandidate: source === 'webhook' && isReplyCandidate(event),
  };
  if (event.kind === 'postback') {
    return {
      ...base,
      type: 'postback',
      text: event.title,
      replyPayload: event.payload,
      mid: event.mid,
      eventKey: event.mid === null ? eventKey(event) : null,
      attachments: null,
      metadata: compactJson({ payload: event.payload, referral: event.referral }),
    };
  }
  return {
    ...base,
    type: messageTypeOf(event),
    text: event.text,
    replyPayload: event.quickReplyPayload,
    mid: event.mid,
    eventKey: null,
    attachments:
      event.attachments.length > 0
        ? JSON.stringify(event.attachments.map((a) => ({ type: a.type, payload: { ...(a.payload ?? {}) } })))
        : null,
    metadata: compactJson({
      replyTo: event.replyTo,
      quickReplyPayload: event.quickReplyPayload,
      referral: event.referral,
    }),
  };
}
