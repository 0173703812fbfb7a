import { Injectable } from '@nestjs/common';
import { insertSkippingDuplicatesSql, sqlParameter, upsertSyntaxOf, currentManager } from '@database';
import { mayCallMetaSql } from '@accounts';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { ContactEntity } from './contact.entity';
import type { Contact } from '../contact';
import { ContactRepository, type NewContact } from '../contact.repository';

/** The column sizes of the contacts table. */
const USERNAME_MAX_LENGTH = 64;
const NAME_MAX_LENGTH = 200;
const LOOKUP_ERROR_MAX_LENGTH = 500;

/** The columns a new contact is recorded with; the rest start empty. */
const NEW_CONTACT_COLUMNS = ['id', 'account_id', 'igsid', 'next_lookup_at', 'created_at', 'updated_at'];
const NEW_CONTACT_CONSTANTS = {
  lookup_attempts: '0',
  username: 'NULL',
  name: 'NULL',
  profile_fetched_at: 'NULL',
  last_lookup_error: 'NULL',
};

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

  async recordNew(contacts: NewContact[], now: Date): Promise<void> {
    if (contacts.length === 0) return;
    const syntax = upsertSyntaxOf(
      this.dataSource.options.type,
      (this.dataSource.driver as { version?: string }).version,
    );
    const sql = insertSkippingDuplicatesSql(
      syntax,
      'contacts',
      NEW_CONTACT_COLUMNS,
      contacts.length,
      NEW_CONTACT_CONSTANTS,
    );
    const parameters = contacts.flatMap((c) => [c.id, c.accountId, c.igsid, now, now, now]);
    await currentManager(this.dataSource).query(
      sql,
      parameters.map((value) => sqlParameter(syntax, value)),
    );
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

  async claimDueLookups(now: Date, leaseUntil: Date, limit: number): Promise<Contact[]> {
    const due = await this.rows
      .createQueryBuilder('c')
      .where('c.next_lookup_at <= :now', { now })
      .andWhere(mayCallMetaSql('c.account_id'))
      .orderBy('c.next_lookup_at', 'ASC')
      .limit(limit)
      .getMany();
    const claimed: Contact[] = [];
    for (const row of due) {
      if (row.nextLookupAt === null) continue;
      // Only if no other replica moved it since it was read.
      const result = await this.rows.update(
        { id: row.id, accountId: row.accountId, nextLookupAt: row.nextLookupAt },
        { nextLookupAt: leaseUntil, updatedAt: now },
      );
      if ((result.affected ?? 0) > 0) claimed.push(toContact(row));
    }
    return claimed;
  }

  async recordProfile(
    accountId: string,
    igsid: string,
    profile: Pick<Contact, 'username' | 'name'>,
    fetchedAt: Date,
    nextLookupAt: Date,
  ): Promise<void> {
    await this.rows.update(
      { accountId, igsid },
      {
        username: profile.username?.replace(/^@/, '').toLowerCase().slice(0, USERNAME_MAX_LENGTH) ?? null,
        name: profile.name?.slice(0, NAME_MAX_LENGTH) ?? null,
        profileFetchedAt: fetchedAt,
        nextLookupAt,
        lookupAttempts: 0,
        lastLookupError: null,
        updatedAt: fetchedAt,
      },
    );
  }

  async recordLookupFailure(accountId: string, igsid: string, reason: string, nextLookupAt: Date): Promise<void> {
    await this.rows.update({ accountId, igsid }, {
      lookupAttempts: () => 'lookup_attempts + 1',
      lastLookupError: reason.slice(0, LOOKUP_ERROR_MAX_LENGTH),
      nextLookupAt,
      updatedAt: new Date(),
    } as QueryDeepPartialEntity<ContactEntity>);
  }
}
