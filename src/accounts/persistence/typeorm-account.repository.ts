import { Injectable } from '@nestjs/common';
import { mapPage, DomainError, newId, decodeCursor, pageOf } from '@common';
import { DataSource, type FindOptionsWhere, In, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { CiphertextIntegrityError, TokenCipher } from '@crypto';
import { isUniqueViolation, currentManager, Transactor } from '@database';
import { AccountEvents } from '../account-events';
import { AccountChangeFeed } from '../account-change-feed';
import { type AccountCredentials, type InstagramBusinessAccount, normalizeUsername } from '../account';
import {
  type AccountChanges,
  type AccountFilter,
  type AccountPage,
  AccountRepository,
  type CredentialReadability,
  type NewAccount,
  type VersionedCredentials,
  type WebhookSecrets,
} from '../account.repository';
import { AccountEntity } from './account.entity';
import { ACCOUNT_SELECT, toAccount, toConnection } from './account.mapper';

type CredentialField = keyof AccountCredentials;

const CIPHERTEXT_COLUMN = {
  accessToken: 'accessTokenCiphertext',
  appSecret: 'appSecretCiphertext',
  verifyToken: 'verifyTokenCiphertext',
} as const satisfies Record<CredentialField, keyof AccountEntity>;

const CREDENTIAL_FIELDS = Object.keys(CIPHERTEXT_COLUMN) as CredentialField[];

const CIPHERTEXT_SELECT = {
  id: true,
  accessTokenCiphertext: true,
  appSecretCiphertext: true,
  verifyTokenCiphertext: true,
} as const;

type CiphertextRow = Pick<AccountEntity, 'id' | (typeof CIPHERTEXT_COLUMN)[CredentialField]>;

/** A concurrent credential change between reading and re-writing makes rotation read again, this often at most. */
const MAX_ROTATION_ATTEMPTS = 3;

const notFound = () => new DomainError('account_not_found', 'account not found');

const definedOnly = <T extends object>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;

/**
 * Accounts in the `accounts` table. Each credential is encrypted with a
 * context naming its account and field (`account:<id>:accessToken`), so a
 * ciphertext copied into another row or column does not decrypt there.
 */
@Injectable()
export class TypeOrmAccountRepository extends AccountRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly changes: AccountChangeFeed,
    private readonly transactor: Transactor,
    private readonly events: AccountEvents,
  ) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(AccountEntity);
  }

  getById(id: string): Promise<InstagramBusinessAccount | null> {
    return this.findOne({ id });
  }

  getByUsername(username: string): Promise<InstagramBusinessAccount | null> {
    return this.findOne({ username: normalizeUsername(username) });
  }

  getByIgUserId(igUserId: string): Promise<InstagramBusinessAccount | null> {
    return this.findOne({ igUserId });
  }

  async getActiveAccounts(): Promise<InstagramBusinessAccount[]> {
    const rows = await this.rows.find({
      select: ACCOUNT_SELECT,
      where: { isActive: true },
      order: { id: 'ASC' },
    });
    return rows.map(toAccount);
  }

  async getByIgUserIds(igUserIds: string[]): Promise<InstagramBusinessAccount[]> {
    if (igUserIds.length === 0) return [];
    const rows = await this.rows.find({ select: ACCOUNT_SELECT, where: { igUserId: In(igUserIds) } });
    return rows.map(toAccount);
  }

  async getActiveWebhookSecrets(): Promise<WebhookSecrets[]> {
    const rows = await this.rows.find({
      select: { ...ACCOUNT_SELECT, appSecretCiphertext: true, verifyTokenCiphertext: true },
      where: { isActive: true },
      order: { id: 'ASC' },
    });
    const readable = (row: AccountEntity, field: 'appSecret' | 'verifyToken'): string | null => {
      try {
        return this.open(row as CiphertextRow, field);
      } catch (error) {
        if (error instanceof CiphertextIntegrityError) return null;
        throw error;
      }
    };
    return rows.map((row) => ({
      account: toAccount(row),
      appSecret: readable(row, 'appSecret'),
      verifyToken: readable(row, 'verifyToken'),
    }));
  }

  async getAllAccounts(): Promise<InstagramBusinessAccount[]> {
    const rows = await this.rows.find({ select: ACCOUNT_SELECT, order: { id: 'ASC' } });
    return rows.map(toAccount);
  }

  /** Oldest first; ids are time-ordered, so the last id seen is the whole cursor. */
  async list(limit: number, cursor: string | null, filter: AccountFilter = {}): Promise<AccountPage> {
    const where: FindOptionsWhere<AccountEntity> = {};
    if (cursor !== null) where.id = MoreThan(String(decodeCursor(cursor, 1)[0]));
    if (filter.tokenStatus !== undefined) where.tokenStatus = filter.tokenStatus;
    if (filter.tokenExpiresBy !== undefined) where.tokenExpiresAt = LessThanOrEqual(filter.tokenExpiresBy);
    const rows = await this.rows.find({ select: ACCOUNT_SELECT, where, order: { id: 'ASC' }, take: limit + 1 });
    const page = pageOf(rows, limit, (row) => [row.id]);
    return mapPage(page, toAccount);
  }

  async create(account: NewAccount): Promise<InstagramBusinessAccount> {
    const id = newId();
    const now = new Date();
    const { accessToken, appSecret, verifyToken } = account.credentials;
    const row: AccountEntity = {
      id,
      username: normalizeUsername(account.username),
      igUserId: account.igUserId,
      loginType: account.loginType ?? 'instagram',
      pageId: account.pageId ?? null,
      displayName: account.displayName ?? null,
      accessTokenCiphertext: this.seal(id, 'accessToken', accessToken),
      appSecretCiphertext: this.seal(id, 'appSecret', appSecret),
      verifyTokenCiphertext: this.seal(id, 'verifyToken', verifyToken),
      fallbackResponse: account.fallbackResponse ?? null,
      autoReplyLimit: account.autoReplyLimit ?? null,
      autoReplyLimitMinutes: account.autoReplyLimitMinutes ?? null,
      isActive: true,
      tokenStatus: account.tokenStatus ?? 'unknown',
      tokenExpiresAt: null,
      tokenRefreshedAt: null,
      rulesVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.rows.insert(row);
    } catch (error) {
      throw await this.conflictOr(error, row);
    }
    return toAccount(row);
  }

  async update(id: string, changes: AccountChanges): Promise<InstagramBusinessAccount> {
    const current = await this.rows.findOne({ select: ACCOUNT_SELECT, where: { id } });
    if (!current) throw notFound();
    const { credentials = {}, ...fields } = changes;
    const patch: Partial<AccountEntity> = { ...definedOnly(fields), updatedAt: new Date() };
    if (patch.username !== undefined) patch.username = normalizeUsername(patch.username);
    for (const field of CREDENTIAL_FIELDS) {
      const plaintext = credentials[field];
      if (plaintext !== undefined) patch[CIPHERTEXT_COLUMN[field]] = this.seal(id, field, plaintext);
    }
    try {
      await this.rows.update({ id }, patch);
    } catch (error) {
      throw await this.conflictOr(error, { id, ...patch });
    }
    this.changes.changed(id);
    return toAccount({ ...current, ...patch });
  }

  async deactivate(id: string): Promise<void> {
    const result = await this.rows.update({ id }, { isActive: false, updatedAt: new Date() });
    if (!result.affected) throw notFound();
    this.changes.changed(id);
  }

  async markTokenInvalid(id: string, unchangedSince: Date): Promise<boolean> {
    const marked = await this.transactor.run(async () => {
      const result = await this.rows.update(
        { id, updatedAt: unchangedSince, tokenStatus: Not('invalid') },
        { tokenStatus: 'invalid', updatedAt: new Date() },
      );
      if (!result.affected) return false;
      await this.events.tokenInvalid(id);
      return true;
    });
    if (marked) this.changes.changed(id);
    return marked;
  }

  async getCredentials(id: string): Promise<AccountCredentials> {
    return this.openAll(await this.findCiphertexts(id));
  }

  async getVersionedCredentials(id: string): Promise<VersionedCredentials> {
    const row = await this.rows.findOne({
      select: { ...CIPHERTEXT_SELECT, loginType: true, pageId: true, updatedAt: true },
      where: { id },
    });
    if (!row) throw notFound();
    return { credentials: this.openAll(row), connection: toConnection(row), updatedAt: row.updatedAt };
  }

  private openAll(row: CiphertextRow): AccountCredentials {
    return {
      accessToken: this.open(row, 'accessToken'),
      appSecret: this.open(row, 'appSecret'),
      verifyToken: this.open(row, 'verifyToken'),
    };
  }

  async rotateCredentials(id: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.findCiphertexts(id);
      // Every field is decrypted, current ones too, so a damaged one is found now rather than at the next send.
      const plaintexts = CREDENTIAL_FIELDS.map((field) => ({ field, plaintext: this.open(row, field) }));
      const stale = plaintexts.filter(({ field }) => this.cipher.isFromPreviousKey(row[CIPHERTEXT_COLUMN[field]]));
      if (stale.length === 0) return false;
      const patch: Partial<AccountEntity> = {};
      const unchanged: FindOptionsWhere<AccountEntity> = { id };
      for (const { field, plaintext } of stale) {
        patch[CIPHERTEXT_COLUMN[field]] = this.seal(id, field, plaintext);
        unchanged[CIPHERTEXT_COLUMN[field]] = row[CIPHERTEXT_COLUMN[field]];
      }
      // Written only over what was read: a credential changed meanwhile is already under the current key.
      const result = await this.rows.update(unchanged, patch);
      if (result.affected) return true;
      if (attempt >= MAX_ROTATION_ATTEMPTS)
        throw new Error(`credentials of account ${id} kept changing during rotation`);
    }
  }

  async credentialReadability(): Promise<CredentialReadability[]> {
    const rows = await this.rows.find({ select: { ...CIPHERTEXT_SELECT, isActive: true }, order: { id: 'ASC' } });
    return rows.map((row) => ({ accountId: row.id, isActive: row.isActive, readable: this.opensAll(row) }));
  }

  private opensAll(row: CiphertextRow): boolean {
    try {
      for (const field of CREDENTIAL_FIELDS) this.open(row, field);
      return true;
    } catch (error) {
      if (error instanceof CiphertextIntegrityError) return false;
      throw error;
    }
  }

  private async findOne(where: Partial<Pick<AccountEntity, 'id' | 'username' | 'igUserId'>>) {
    const row = await this.rows.findOne({ select: ACCOUNT_SELECT, where });
    return row ? toAccount(row) : null;
  }

  private async findCiphertexts(id: string): Promise<CiphertextRow> {
    const row = await this.rows.findOne({ select: CIPHERTEXT_SELECT, where: { id } });
    if (!row) throw notFound();
    return row;
  }

  private seal(id: string, field: CredentialField, plaintext: string): string {
    return this.cipher.encrypt(plaintext, `account:${id}:${field}`);
  }

  private open(row: CiphertextRow, field: CredentialField): string {
    return this.cipher.decrypt(row[CIPHERTEXT_COLUMN[field]], `account:${row.id}:${field}`);
  }

  /**
   * A unique key refused the write: names the field another account already
   * holds. It is looked up rather than parsed from the driver's message, so
   * it reads the same on both dialects and under a race (the winner has
   * committed by the time the loser's insert fails).
   */
  private async conflictOr(error: unknown, written: Partial<AccountEntity>): Promise<unknown> {
    if (!isUniqueViolation(error)) return error;
    const taken = async (where: FindOptionsWhere<AccountEntity>) => {
      const holder = await this.rows.findOne({ select: { id: true }, where });
      return holder !== null && holder.id !== written.id;
    };
    if (written.username !== undefined && (await taken({ username: written.username }))) {
      return new DomainError('conflict', `username "${written.username}" is already taken by another account`, {
        username: 'already taken by another account',
      });
    }
    if (written.igUserId !== undefined && (await taken({ igUserId: written.igUserId }))) {
      return new DomainError(
        'conflict',
        `igUserId ${written.igUserId} is already taken by another account (an Instagram account is connected once, through Instagram Login or Facebook Login)`,
        { igUserId: 'already taken by another account' },
      );
    }
    if (typeof written.pageId === 'string' && (await taken({ pageId: written.pageId }))) {
      return new DomainError('conflict', `pageId ${written.pageId} is already the Page of another account`, {
        pageId: 'already the Page of another account',
      });
    }
    return error;
  }
}
