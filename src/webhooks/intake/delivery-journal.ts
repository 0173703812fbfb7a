import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../../common/ids';
import { currentManager } from '../../database/transactor';
import { UnroutableEventEntity } from '../persistence/unroutable-event.entity';
import { WebhookDeliveryEntity } from '../persistence/webhook-delivery.entity';

/**
 * The raw record of what Meta sent: every verified body byte for byte, and
 * every entry or event that no account may apply. Written in the caller's
 * transaction, beside the events themselves.
 */
@Injectable()
export class DeliveryJournal {
  constructor(private readonly dataSource: DataSource) {}

  async recordDelivery(accountId: string | null, rawBody: Buffer): Promise<string> {
    const id = newId();
    await currentManager(this.dataSource)
      .getRepository(WebhookDeliveryEntity)
      .insert({
        id,
        accountId,
        body: rawBody.toString('utf8'),
        bodySha256: createHash('sha256').update(rawBody).digest('hex'),
        receivedAt: new Date(),
      });
    return id;
  }

  async recordUnroutable(
    deliveryId: string,
    accountId: string | null,
    entryId: string,
    reason: string,
    payload: unknown,
  ): Promise<void> {
    await currentManager(this.dataSource)
      .getRepository(UnroutableEventEntity)
      .insert({
        id: newId(),
        accountId,
        deliveryId,
        entryId,
        reason,
        payload: JSON.stringify(payload),
        createdAt: new Date(),
      });
  }
}
