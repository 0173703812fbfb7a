import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../accounts/account';
import { AccountRepository } from '../accounts/account.repository';
import { DomainError } from '../common/domain-error';
import { ContactRepository } from '../messaging/contacts/contact.repository';
import { OutboxSignal } from '../messaging/outbox/outbox-signal';
import { AutoReplier } from '../rules/auto-replier';
import { Transactor } from '../database/transactor';
import { Metrics } from '../metrics/metrics';
import { ActiveAccountResolver } from './active-account-resolver';
import { DeliveryJournal } from './intake/delivery-journal';
import { EventRecorder } from './intake/event-recorder';
import { type EventOutcome, type IntakeSummary, MessageReceiver } from './message-receiver';
import type { InstagramEvent, ParsedDelivery, ParsedEntry } from './parsing/instagram-event';
import { parseWebhookPayload } from './parsing/parse-webhook-payload';
import { isReplyCandidate } from './parsing/reply-candidate';
import type { RecordedEvent } from './intake/event-recorder';
import { WebhookPayloadError } from './parsing/webhook-payload.error';
import { isValidSignature } from './signature';

type Signature = string | string[] | undefined;

/** Where each entry of a delivery goes: an account, or the unroutable log with a reason. */
type RoutedEntry =
  { entry: ParsedEntry; account: InstagramBusinessAccount } | { entry: ParsedEntry; account: null; reason: string };

@Injectable()
export class InstagramMessageReceiver extends MessageReceiver {
  private readonly logger = new Logger(InstagramMessageReceiver.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly activeAccounts: ActiveAccountResolver,
    private readonly transactor: Transactor,
    private readonly journal: DeliveryJournal,
    private readonly recorder: EventRecorder,
    private readonly autoReplier: AutoReplier,
    private readonly contacts: ContactRepository,
    private readonly outbox: OutboxSignal,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async validateSignature(accountId: string, signature: Signature, rawBody: Buffer): Promise<void> {
    if (!isValidSignature(rawBody, signature, await this.activeAccounts.appSecretOf(accountId))) {
      this.logger.warn({ accountId }, 'webhook refused: signature does not match');
      throw new DomainError('signature_invalid', 'X-Hub-Signature-256 does not match this body');
    }
  }

  async receiveWebhook(accountId: string | null, rawBody: Buffer, signature: Signature): Promise<IntakeSummary> {
    if (accountId === null) return this.receiveShared(rawBody, signature);
    const account = await this.activeAccounts.require(accountId);
    await this.validateSignature(account.id, signature, rawBody);
    const delivery = parseBody(rawBody);
    // One account's secret never writes into another account: foreign entries are only logged.
    const routed = delivery.entries.map((entry): RoutedEntry =>
      entry.entryId === account.igUserId ? { entry, account } : { entry, account: null, reason: 'foreign_entry' },
    );
    return this.store(account.id, rawBody, routed);
  }

  /**
   * One Meta app shared by several accounts: each entry goes to the active
   * account whose igUserId it names, and the body must carry a valid signature
   * for every account it addresses (or, addressing none, for some active account).
   */
  private async receiveShared(rawBody: Buffer, signature: Signature): Promise<IntakeSummary> {
    const delivery = parseBody(rawBody);
    const byIgUserId = new Map<string, InstagramBusinessAccount | null>();
    for (const { entryId } of delivery.entries) {
      if (!byIgUserId.has(entryId)) byIgUserId.set(entryId, await this.accounts.getByIgUserId(entryId));
    }
    const addressed = [...byIgUserId.values()].filter((a): a is InstagramBusinessAccount => a !== null && a.isActive);
    const candidates = addressed.length > 0 ? addressed : await this.accounts.getActiveAccounts();
    const verified = await Promise.all(
      candidates.map(async (a) => isValidSignature(rawBody, signature, await this.activeAccounts.appSecretOf(a.id))),
    );
    const valid = addressed.length > 0 ? verified.every(Boolean) : verified.some(Boolean);
    if (!valid) {
      this.logger.warn({ addressed: addressed.map((a) => a.id) }, 'shared webhook refused: signature does not match');
      throw new DomainError('signature_invalid', 'X-Hub-Signature-256 does not match this body');
    }
    const routed = delivery.entries.map((entry): RoutedEntry => {
      const account = byIgUserId.get(entry.entryId) ?? null;
      if (account?.isActive) return { entry, account };
      return { entry, account: null, reason: account ? 'inactive_account' : 'unknown_account' };
    });
    return this.store(null, rawBody, routed);
  }

  async processMessage(accountId: string, event: InstagramEvent): Promise<EventOutcome> {
    const account = await this.activeAccounts.require(accountId);
    let repliesQueued = 0;
    const outcome = await this.transactor.run(async () => {
      const recorded = await this.recorder.record(account, event);
      repliesQueued = await this.followUp(account, event, recorded);
      return recorded.outcome;
    });
    if (repliesQueued > 0) this.outbox.notify();
    return outcome;
  }

  /**
   * Everything of one delivery in one transaction, replies included: it is
   * acknowledged only once all of it has committed. Sending and profile
   * lookups happen afterwards, outside the request.
   */
  private async store(routeAccountId: string | null, rawBody: Buffer, routed: RoutedEntry[]): Promise<IntakeSummary> {
    let repliesQueued = 0;
    const summary = await this.transactor.run(async () => {
      const summary: IntakeSummary = {
        deliveryId: await this.journal.recordDelivery(routeAccountId, rawBody),
        stored: 0,
        duplicates: 0,
        unroutable: 0,
      };
      for (const route of routed) {
        if (route.account === null) {
          await this.journal.recordUnroutable(
            summary.deliveryId,
            routeAccountId,
            route.entry.entryId,
            route.reason,
            route.entry.raw,
          );
          this.logger.warn(
            { accountId: routeAccountId, entryId: route.entry.entryId, reason: route.reason },
            'webhook entry kept as unroutable',
          );
          summary.unroutable += 1;
          continue;
        }
        for (const event of route.entry.events) {
          const recorded = await this.recorder.record(route.account, event);
          repliesQueued += await this.followUp(route.account, event, recorded);
          if (recorded.outcome === 'unroutable') {
            await this.journal.recordUnroutable(
              summary.deliveryId,
              route.account.id,
              route.entry.entryId,
              recorded.reason,
              event.raw,
            );
            summary.unroutable += 1;
          } else if (recorded.outcome === 'stored') {
            summary.stored += 1;
          } else {
            summary.duplicates += 1;
          }
        }
      }
      return summary;
    });
    // Counted once committed: a transaction retried after a deadlock would count its events twice.
    for (const route of routed) {
      if (route.account) for (const event of route.entry.events) this.metrics.webhookEvent(event.kind);
    }
    if (repliesQueued > 0) this.outbox.notify();
    return summary;
  }

  /** After a stored event: make a new customer known (their profile is looked up later) and queue the reply their message is due. */
  private async followUp(
    account: InstagramBusinessAccount,
    event: InstagramEvent,
    recorded: RecordedEvent,
  ): Promise<number> {
    if (recorded.outcome !== 'stored') return 0;
    // A customer is new exactly when their conversation is: only then is there a contact to record.
    if (recorded.newConversation) await this.contacts.ensureKnown(account.id, recorded.conversation.participantId);
    if (!recorded.message || recorded.message.direction !== 'inbound' || !isReplyCandidate(event)) return 0;
    const queued = await this.autoReplier.replyTo(account, recorded.conversation, recorded.message, {
      contactKnown: !recorded.newConversation,
    });
    return queued.length;
  }
}

function parseBody(rawBody: Buffer): ParsedDelivery {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('the body is not valid JSON');
  }
  return parseWebhookPayload(body);
}
