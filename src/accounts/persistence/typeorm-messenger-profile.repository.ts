import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@database';
import type { MessengerProfile } from '../messenger-profile/messenger-profile';
import { MessengerProfileRepository } from '../messenger-profile/messenger-profile.repository';
import { MessengerProfileEntity } from './messenger-profile.entity';

@Injectable()
export class TypeOrmMessengerProfileRepository extends MessengerProfileRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(MessengerProfileEntity);
  }

  async get(accountId: string): Promise<MessengerProfile | null> {
    const row = await this.rows.findOneBy({ accountId });
    if (!row) return null;
    return {
      accountId,
      iceBreakers: row.iceBreakers ?? [],
      persistentMenu: row.persistentMenu ?? [],
      updatedAt: row.updatedAt,
    };
  }

  async save(profile: MessengerProfile & { updatedAt: Date }): Promise<void> {
    await this.rows.save({
      accountId: profile.accountId,
      iceBreakers: profile.iceBreakers.length > 0 ? profile.iceBreakers : null,
      persistentMenu: profile.persistentMenu.length > 0 ? profile.persistentMenu : null,
      updatedAt: profile.updatedAt,
    });
  }

  async delete(accountId: string): Promise<void> {
    await this.rows.delete({ accountId });
  }
}
