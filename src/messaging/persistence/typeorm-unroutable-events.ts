import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, MoreThan, Not, Like } from 'typeorm';
import { decodeCursor, type Page, pageOf } from '@common';
import { currentManager } from '@database';
import { UnroutableEventEntity } from './unroutable-event.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import type { KeptEntry, UnroutableEvent, UnroutableFilter } from '../unroutable/unroutable-event';
import { UnroutableEvents } from '../unroutable/unroutable-events';

function payloadOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const toEvent = (row: UnroutableEventEntity): UnroutableEvent => ({
  id: row.id,
  routeAccountId: row.accountId,
  deliveryId: row.deliveryId,
  entryId: row.entryId,
  itemKey: row.itemKey,
  reason: row.reason,
  payload: payloadOf(row.payload),
  receivedAt: row.createdAt,
  appliedAt: row.appliedAt,
});

@Injectable()
export class TypeOrmUnroutableEvents extends UnroutableEvents {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get manager() {
    return currentManager(this.dataSource);
  }

  async list(filter: UnroutableFilter, limit: number, cursor: string | null): Promise<Page<UnroutableEvent>> {
    const before = cursor === null ? null : String(decodeCursor(cursor, 1)[0]);
    const rows = await this.manager.getRepository(UnroutableEventEntity).find({
      where: {
        ...(filter.entryId === undefined ? {} : { entryId: filter.entryId }),
        ...(filter.reason === undefined ? {} : { reason: filter.reason }),
        ...(before === null ? {} : { id: LessThan(before) }),
      },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    return pageOf(rows.map(toEvent), limit, (event) => [event.id]);
  }

  async pendingEntries(entryId: string, afterId: string | null, limit: number): Promise<KeptEntry[]> {
    const rows = await this.manager.getRepository(UnroutableEventEntity).find({
      where: {
        entryId,
        appliedAt: IsNull(),
        // Whole entries only: a single event kept from an applied entry has no account to go to.
        itemKey: Not(Like('%.%')),
        ...(afterId === null ? {} : { id: MoreThan(afterId) }),
      },
      order: { id: 'ASC' },
      take: limit,
    });
    if (rows.length === 0) return [];
    const deliveries = await this.manager
      .getRepository(WebhookDeliveryEntity)
      .findBy({ id: In([...new Set(rows.map((row) => row.deliveryId))]) });
    const byId = new Map(deliveries.map((delivery) => [delivery.id, delivery]));
    // An entry whose delivery is gone (retention) can no longer be verified: it is left out.
    return rows.flatMap((row) => {
      const delivery = byId.get(row.deliveryId);
      if (!delivery) return [];
      return [
        {
          event: toEvent(row),
          entryIndex: Number(row.itemKey),
          rawBody: Buffer.from(delivery.body, 'utf8'),
          signature: delivery.signature,
        },
      ];
    });
  }

  async markApplied(ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.getRepository(UnroutableEventEntity).update({ id: In(ids) }, { appliedAt: now });
  }
}
