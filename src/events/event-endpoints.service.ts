import { Injectable, Logger } from '@nestjs/common';
import { AccountRepository } from '@accounts';
import { Clock, DomainError, ID_PATTERN, type Page } from '@common';
import { EventDeliverySettings } from './delivery/event-delivery-settings';
import { EventDeliveryWorker } from './delivery/event-delivery-worker';
import { endpointUrlProblem, ipLiteralOf, privateAddressesOf } from './endpoint-address';
import { newEndpointSecret } from './endpoint-secret';
import { EndpointSubscriptions } from './endpoint-subscriptions';
import type { EventDelivery } from './event-delivery';
import { EventDeliveryRepository } from './event-delivery.repository';
import type { EventEndpoint, EventEndpointChanges, NewEventEndpoint } from './event-endpoint';
import { EventEndpointRepository } from './event-endpoint.repository';
import { EventOutbox } from './event-outbox';

/** An endpoint with the secret that signs for it: answered by create and rotate only. */
export interface EndpointWithSecret {
  endpoint: EventEndpoint;
  secret: string;
}

const endpointNotFound = () => new DomainError('event_endpoint_not_found', 'event endpoint not found');

/**
 * The rules of managing event endpoints: an https URL that is not a private
 * address (unless allowed), existing accounts, a fresh secret shown once,
 * a rotation's overlap, a test event, and retrying what failed. Every
 * change applies to this replica's subscriptions at once.
 */
@Injectable()
export class EventEndpointsService {
  private readonly logger = new Logger(EventEndpointsService.name);

  constructor(
    private readonly settings: EventDeliverySettings,
    private readonly endpoints: EventEndpointRepository,
    private readonly deliveries: EventDeliveryRepository,
    private readonly outbox: EventOutbox,
    private readonly subscriptions: EndpointSubscriptions,
    private readonly worker: EventDeliveryWorker,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
  ) {}

  async create(fields: NewEventEndpoint): Promise<EndpointWithSecret> {
    await this.checkUrl(fields.url);
    await this.checkAccounts(fields.accountIds);
    const secret = newEndpointSecret();
    const endpoint = await this.endpoints.create(fields, secret, this.clock.now());
    this.subscriptions.changed();
    this.logger.log({ endpointId: endpoint.id }, 'event endpoint created');
    return { endpoint, secret };
  }

  list(limit: number, cursor: string | null): Promise<Page<EventEndpoint>> {
    return this.endpoints.list(limit, cursor);
  }

  get(id: string): Promise<EventEndpoint> {
    return this.require(id);
  }

  async update(id: string, changes: EventEndpointChanges): Promise<EventEndpoint> {
    const current = await this.require(id);
    if (changes.url !== undefined) await this.checkUrl(changes.url);
    if (changes.accountIds !== undefined) await this.checkAccounts(changes.accountIds);
    const updated = await this.endpoints.update(id, changes, this.clock.now());
    this.subscriptions.changed();
    if (changes.enabled !== undefined && changes.enabled !== current.enabled) {
      this.logger.log({ endpointId: id }, `event endpoint ${changes.enabled ? 'enabled' : 'disabled'} by an operator`);
    }
    if (updated.enabled) this.worker.wake();
    return updated;
  }

  async delete(id: string): Promise<void> {
    if (!ID_PATTERN.test(id) || !(await this.endpoints.delete(id))) throw endpointNotFound();
    this.subscriptions.changed();
    this.logger.log({ endpointId: id }, 'event endpoint deleted, with its deliveries');
  }

  /** A new secret signs from now on; the previous one signs beside it for `previousSecretMs` (24 hours). */
  async rotateSecret(id: string): Promise<EndpointWithSecret> {
    await this.require(id);
    const secret = newEndpointSecret();
    const now = this.clock.now();
    const previousExpiresAt = new Date(now.getTime() + this.settings.timings.previousSecretMs);
    const endpoint = await this.endpoints.rotateSecret(id, secret, previousExpiresAt, now);
    this.logger.log(
      { endpointId: id },
      `event endpoint secret rotated; the previous one signs too until ${previousExpiresAt.toISOString()}`,
    );
    return { endpoint, secret };
  }

  /** Queues an `endpoint.test` event to this endpoint alone; answers its delivery. */
  async test(id: string): Promise<EventDelivery> {
    await this.require(id);
    const delivery = await this.deliveries.get(id, await this.outbox.queueTest(id));
    if (!delivery) throw endpointNotFound();
    return delivery;
  }

  async deliveriesOf(id: string, limit: number, cursor: string | null): Promise<Page<EventDelivery>> {
    await this.require(id);
    return this.deliveries.list(id, limit, cursor);
  }

  async retry(id: string, deliveryId: string): Promise<EventDelivery> {
    await this.require(id);
    const notFound = new DomainError('event_delivery_not_found', 'event delivery not found for this endpoint');
    if (!ID_PATTERN.test(deliveryId)) throw notFound;
    const result = await this.deliveries.retry(id, deliveryId, this.clock.now());
    if (result === 'not_found') throw notFound;
    if (result === 'not_failed') {
      throw new DomainError('event_delivery_not_failed', 'only a failed delivery can be retried; this one is not');
    }
    this.worker.wake();
    const delivery = await this.deliveries.get(id, deliveryId);
    if (!delivery) throw notFound;
    return delivery;
  }

  async retryFailed(id: string): Promise<number> {
    await this.require(id);
    const retried = await this.deliveries.retryFailed(id, this.clock.now());
    if (retried > 0) this.worker.wake();
    return retried;
  }

  private async require(id: string): Promise<EventEndpoint> {
    const endpoint = ID_PATTERN.test(id) ? await this.endpoints.getById(id) : null;
    if (!endpoint) throw endpointNotFound();
    return endpoint;
  }

  /** Refused as a field: an URL that is not https, names a private address, or resolves to one now. */
  private async checkUrl(url: string): Promise<void> {
    const allowPrivate = this.settings.allowPrivateAddresses;
    const problem = endpointUrlProblem(url, allowPrivate);
    if (problem) throw new DomainError('validation_failed', `url ${problem}`, { url: `url ${problem}` });
    const parsed = new URL(url);
    if (allowPrivate || ipLiteralOf(parsed) !== null) return;
    const refused = await privateAddressesOf(parsed.hostname);
    if (refused.length > 0) {
      const message = `url resolves to a private, loopback or link-local address (EVENT_ENDPOINTS_ALLOW_PRIVATE)`;
      throw new DomainError('validation_failed', message, { url: message });
    }
  }

  private async checkAccounts(accountIds: string[] | null | undefined): Promise<void> {
    if (!accountIds || accountIds.length === 0) return;
    const known = new Set((await this.accounts.getAllAccounts()).map((account) => account.id));
    const unknown = accountIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const message = `accountIds names no account: ${unknown.join(', ')}`;
      throw new DomainError('validation_failed', message, { accountIds: message });
    }
  }
}
