import { Injectable } from '@nestjs/common';
import { mapPage, DomainError, newId, decodeCursor, type Page, pageOf } from '@common';
import { DataSource, MoreThan, type QueryDeepPartialEntity } from 'typeorm';
import { isUniqueViolation, currentManager } from '@database';
import { MessageTemplateEntity } from './message-template.entity';
import type { MessageTemplate, MessageTemplateChanges, NewMessageTemplate } from '../message-template';
import { MessageTemplateRepository } from '../message-template.repository';

const toTemplate = (row: MessageTemplateEntity): MessageTemplate => ({
  id: row.id,
  accountId: row.accountId,
  name: row.name,
  text: row.text,
  quickReplies: row.quickReplies ?? [],
  elements: row.elements ?? [],
  buttons: row.buttons ?? [],
  attachments: row.attachments ?? [],
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Empty lists are stored as null, so "no quick replies" reads the same however it was written. */
const listOrNull = <T>(items: T[] | null | undefined): T[] | null | undefined =>
  items === undefined ? undefined : items && items.length > 0 ? items : null;

const nameTaken = (name: string) =>
  new DomainError('conflict', `a template named "${name}" already exists in this account`, {
    name: 'already used by another template of this account',
  });

@Injectable()
export class TypeOrmMessageTemplateRepository extends MessageTemplateRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(MessageTemplateEntity);
  }

  /** Template ids are time-ordered, so the last id seen is the whole cursor. */
  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<MessageTemplate>> {
    const after = cursor === null ? {} : { id: MoreThan(String(decodeCursor(cursor, 1)[0])) };
    const rows = await this.rows.find({ where: { accountId, ...after }, order: { id: 'ASC' }, take: limit + 1 });
    const page = pageOf(rows, limit, (row) => [row.id]);
    return mapPage(page, toTemplate);
  }

  async getById(accountId: string, templateId: string): Promise<MessageTemplate | null> {
    const row = await this.rows.findOneBy({ accountId, id: templateId });
    return row ? toTemplate(row) : null;
  }

  /**
   * Compared in lower case on both databases: MySQL's collation ignores case
   * anyway, and SQLite's does not, so this keeps their answers the same.
   */
  async getByName(accountId: string, name: string): Promise<MessageTemplate | null> {
    const row = await this.rows
      .createQueryBuilder('t')
      .where('t.account_id = :accountId AND LOWER(t.name) = LOWER(:name)', { accountId, name })
      .getOne();
    return row ? toTemplate(row) : null;
  }

  async create(accountId: string, template: NewMessageTemplate): Promise<MessageTemplate> {
    await this.refuseTakenName(accountId, template.name, null);
    const now = new Date();
    const row: MessageTemplateEntity = {
      id: newId(),
      accountId,
      name: template.name,
      text: template.text,
      quickReplies: listOrNull(template.quickReplies) ?? null,
      elements: listOrNull(template.elements) ?? null,
      buttons: listOrNull(template.buttons) ?? null,
      attachments: listOrNull(template.attachments) ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await this.write(template.name, () => this.rows.insert(row as QueryDeepPartialEntity<MessageTemplateEntity>));
    return toTemplate(row);
  }

  async update(
    accountId: string,
    templateId: string,
    changes: MessageTemplateChanges,
  ): Promise<MessageTemplate | null> {
    if (changes.name !== undefined) await this.refuseTakenName(accountId, changes.name, templateId);
    const patch = {
      name: changes.name,
      text: changes.text,
      quickReplies: listOrNull(changes.quickReplies),
      elements: listOrNull(changes.elements),
      buttons: listOrNull(changes.buttons),
      attachments: listOrNull(changes.attachments),
    };
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const result = await this.write(changes.name ?? '', () =>
      this.rows.update({ accountId, id: templateId }, {
        ...defined,
        updatedAt: new Date(),
      } as QueryDeepPartialEntity<MessageTemplateEntity>),
    );
    return (result.affected ?? 0) > 0 ? this.getById(accountId, templateId) : null;
  }

  async delete(accountId: string, templateId: string): Promise<boolean> {
    const result = await this.rows.delete({ accountId, id: templateId });
    return (result.affected ?? 0) > 0;
  }

  private async refuseTakenName(accountId: string, name: string, exceptId: string | null): Promise<void> {
    const holder = await this.getByName(accountId, name);
    if (holder && holder.id !== exceptId) throw nameTaken(name);
  }

  /** The unique key settles a race between two writers of the same name (MySQL; SQLite has one writer). */
  private async write<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(name) : error;
    }
  }
}
