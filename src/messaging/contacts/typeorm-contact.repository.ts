import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../../common/ids';
import { isUniqueViolation } from '../../database/dialect';
import { currentManager } from '../../database/transactor';
import { ContactEntity } from '../persistence/contact.entity';
import type { Contact } from './contact';
import { ContactRepository } from './contact.repository';

export const toContact = (row: ContactEntity): Contact => ({
  id: row.id,
  accountId: row.accountId,
  igsid: row.igsid,
  username: row.username,
  name: row.name,
  profileFetchedAt: row.profileFetchedAt,
  nextLookupAt: row.nextLookupAt,
  lookupAttempts: row.lookupAttempts,
  lastLookupError: row.lastLookupError,
});

@Injectable()
export class TypeOrmContactRepository extends ContactRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(ContactEntity);
  }

  async getByIgsid(accountId: string, igsid: string): Promise<Contact | null> {
    const row = await this.rows.findOneBy({ accountId, igsid });
    return row ? toContact(row) : null;
  }

  async getByUsername(accountId: string, username: string): Promise<Contact | null> {
    const row = await this.rows.findOne({
      where: { accountId, username: username.replace(/^@/, '').toLowerCase() },
      order: { profileFetchedAt: 'DESC' },
    });
    return row ? toContact(row) : null;
  }

  async ensureKnown(accountId: string, igsid: string): Promise<void> {
    if (await this.rows.exists({ where: { accountId, igsid } })) return;
    const now = new Date();
    try {
      await this.rows.insert({
        id: newId(),
        accountId,
        igsid,
        username: null,
        name: null,
        profileFetchedAt: null,
        nextLookupAt: now,
        lookupAttempts: 0,
        lastLookupError: null,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
