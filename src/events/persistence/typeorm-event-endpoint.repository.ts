import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { DomainError, decodeCursor, newId, pageOf, type Page } from '@common';
import { CiphertextIntegrityError, type KeyRotationReport, TokenCipher } from '@crypto';
import { currentManager } from '@database';
import type { EndpointSubscription, EventEndpoint, EventEndpointChanges, NewEventEndpoint } from '../event-endpoint';
import { EventEndpointRepository } from '../event-endpoint.repository';
import { openSecret, sealSecret } from './endpoint-secrets';
import { ENDPOINT_SELECT, toEventEndpoint } from './event-endpoint.mapper';
import { EventEndpointEntity } from './event-endpoint.entity';

const notFound = () => new DomainError('event_endpoint_not_found', 'event endpoint not found');

const listOrNull = (ids: string[] | null | undefined) =>
  ids === null || ids === undefined ? null : JSON.stringify(ids);

/** The endpoints in `event_endpoints`; each secret is encrypted under a context naming its endpoint and field. */
@Injectable()
export class TypeOrmEventEndpointRepository extends EventEndpointRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
  ) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(EventEndpointEntity);
  }

  async create(endpoint: NewEventEndpoint, secret: string, now: Date): Promise<EventEndpoint> {
    const id = newId(now.getTime());
    const row: EventEndpointEntity = {
      id,
      url: endpoint.url,
      description: endpoint.description,
      events: JSON.stringify(endpoint.events),
      accountIds: listOrNull(endpoint.accountIds),
      enabled: true,
      disabledReason: null,
      secretCiphertext: sealSecret(this.cipher, id, 'secret', secret),
      previousSecretCiphertext: null,
      previousSecretExpiresAt: null,
      lastSuccessAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.rows.insert(row);
    return toEventEndpoint(row);
  }

  async getById(id: string): Promise<EventEndpoint | null> {
    const row = await this.rows.findOne({ select: ENDPOINT_SELECT, where: { id } });
    return row ? toEventEndpoint(row) : null;
  }

  private async required(id: string): Promise<EventEndpoint> {
    const endpoint = await this.getById(id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  async list(limit: number, cursor: string | null): Promise<Page<EventEndpoint>> {
    const after = cursor === null ? null : String(decodeCursor(cursor, 1)[0]);
    const rows = await this.rows.find({
      select: ENDPOINT_SELECT,
      where: after === null ? {} : { id: MoreThan(after) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    return pageOf(rows.map(toEventEndpoint), limit, (endpoint) => [endpoint.id]);
  }

  async update(id: string, changes: EventEndpointChanges, now: Date): Promise<EventEndpoint> {
    const patch: Partial<EventEndpointEntity> = { updatedAt: now };
    if (changes.url !== undefined) patch.url = changes.url;
    if (changes.description !== undefined) patch.description = changes.description;
    if (changes.events !== undefined) patch.events = JSON.stringify(changes.events);
    if (changes.accountIds !== undefined) patch.accountIds = listOrNull(changes.accountIds);
    if (changes.enabled !== undefined) {
      patch.enabled = changes.enabled;
      patch.disabledReason = null;
      if (changes.enabled) patch.failingSince = null;
    }
    const result = await this.rows.update({ id }, patch);
    if (!result.affected) throw notFound();
    return this.required(id);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.rows.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async rotateSecret(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<EventEndpoint> {
    const row = await this.rows.findOne({ select: { id: true, secretCiphertext: true }, where: { id } });
    if (!row) throw notFound();
    const current = openSecret(this.cipher, id, 'secret', row.secretCiphertext);
    await this.rows.update(
      { id, secretCiphertext: row.secretCiphertext },
      {
        secretCiphertext: sealSecret(this.cipher, id, 'secret', secret),
        previousSecretCiphertext: sealSecret(this.cipher, id, 'previousSecret', current),
        previousSecretExpiresAt: previousExpiresAt,
        updatedAt: now,
      },
    );
    return this.required(id);
  }

  async subscriptions(): Promise<EndpointSubscription[]> {
    const rows = await this.rows.find({
      select: { id: true, events: true, accountIds: true },
      where: { enabled: true },
      order: { id: 'ASC' },
    });
    return rows.map((row) => ({
      id: row.id,
      events: JSON.parse(row.events) as EndpointSubscription['events'],
      accountIds: row.accountIds === null ? null : (JSON.parse(row.accountIds) as string[]),
    }));
  }

  async recordSuccess(id: string, at: Date): Promise<void> {
    await this.rows.update({ id }, { lastSuccessAt: at, failingSince: null });
  }

  async recordFailure(id: string, at: Date): Promise<Date | null> {
    await this.rows.update({ id, failingSince: IsNull() }, { failingSince: at });
    const row = await this.rows.findOne({ select: { id: true, failingSince: true }, where: { id } });
    return row?.failingSince ?? null;
  }

  async disable(id: string, reason: string, now: Date): Promise<boolean> {
    const result = await this.rows.update(
      { id, enabled: true },
      { enabled: false, disabledReason: reason, updatedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  countDisabled(): Promise<number> {
    return this.rows.countBy({ enabled: false });
  }

  async rotateKeys(): Promise<KeyRotationReport> {
    const report: KeyRotationReport = { rotated: 0, alreadyCurrent: 0, unreadable: [] };
    const rows = await this.rows.find({
      select: { id: true, secretCiphertext: true, previousSecretCiphertext: true },
      order: { id: 'ASC' },
    });
    for (const row of rows) {
      try {
        if (await this.rotateRow(row)) report.rotated += 1;
        else report.alreadyCurrent += 1;
      } catch (error) {
        if (!(error instanceof CiphertextIntegrityError)) throw error;
        report.unreadable.push(row.id);
      }
    }
    return report;
  }

  /** Written only over what was read: a secret rotated meanwhile is already under the current key. */
  private async rotateRow(
    row: Pick<EventEndpointEntity, 'id' | 'secretCiphertext' | 'previousSecretCiphertext'>,
  ): Promise<boolean> {
    const secret = openSecret(this.cipher, row.id, 'secret', row.secretCiphertext);
    const previous =
      row.previousSecretCiphertext === null
        ? null
        : openSecret(this.cipher, row.id, 'previousSecret', row.previousSecretCiphertext);
    const stale =
      this.cipher.isFromPreviousKey(row.secretCiphertext) ||
      (row.previousSecretCiphertext !== null && this.cipher.isFromPreviousKey(row.previousSecretCiphertext));
    if (!stale) return false;
    await this.rows.update(
      {
        id: row.id,
        secretCiphertext: row.secretCiphertext,
        previousSecretCiphertext: row.previousSecretCiphertext === null ? IsNull() : row.previousSecretCiphertext,
      },
      {
        secretCiphertext: sealSecret(this.cipher, row.id, 'secret', secret),
        previousSecretCiphertext:
          previous === null ? null : sealSecret(this.cipher, row.id, 'previousSecret', previous),
      },
    );
    return true;
  }
}
