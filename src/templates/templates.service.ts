import { Injectable } from '@nestjs/common';
import { AccountsService } from '@accounts';
import { DomainError, ID_PATTERN } from '@common';
import type { Page } from '@common';
import {
  BUTTON_TEMPLATE_TEXT_MAX_LENGTH,
  type MessageTemplate,
  type MessageTemplateChanges,
  type NewMessageTemplate,
} from './message-template';
import { MessageTemplateRepository } from './message-template.repository';
import { RecentTemplates } from './recent-templates';

export const templateNotFound = () => new DomainError('template_not_found', 'template not found in this account');

/** The admin side of message templates: every call names the account, and a template of another account is a 404. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly templates: MessageTemplateRepository,
    private readonly recent: RecentTemplates,
  ) {}

  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<MessageTemplate>> {
    await this.accounts.get(accountId);
    return this.templates.list(accountId, limit, cursor);
  }

  async get(accountId: string, templateId: string): Promise<MessageTemplate> {
    await this.accounts.get(accountId);
    return this.require(accountId, templateId);
  }

  /** The account's template of this name, or null. */
  findByName(accountId: string, name: string): Promise<MessageTemplate | null> {
    return this.templates.getByName(accountId, name.trim());
  }

  async getByName(accountId: string, name: string): Promise<MessageTemplate> {
    const template = await this.findByName(accountId, name);
    if (!template) throw new DomainError('template_not_found', `this account has no template named "${name}"`);
    return template;
  }

  async create(accountId: string, template: NewMessageTemplate): Promise<MessageTemplate> {
    await this.accounts.get(accountId);
    refuseLongButtonText(template.text, template.buttons ?? []);
    const created = await this.templates.create(accountId, template);
    this.recent.forget(accountId);
    return created;
  }

  async update(accountId: string, templateId: string, changes: MessageTemplateChanges): Promise<MessageTemplate> {
    await this.accounts.get(accountId);
    const current = await this.require(accountId, templateId);
    refuseLongButtonText(
      changes.text ?? current.text,
      changes.buttons === undefined ? current.buttons : changes.buttons,
    );
    const updated = await this.templates.update(accountId, templateId, changes);
    this.recent.forget(accountId);
    if (!updated) throw templateNotFound();
    return updated;
  }

  async delete(accountId: string, templateId: string): Promise<void> {
    await this.accounts.get(accountId);
    if (!ID_PATTERN.test(templateId) || !(await this.templates.delete(accountId, templateId))) {
      throw templateNotFound();
    }
    this.recent.forget(accountId);
  }

  private async require(accountId: string, templateId: string): Promise<MessageTemplate> {
    const template = ID_PATTERN.test(templateId) ? await this.templates.getById(accountId, templateId) : null;
    if (!template) throw templateNotFound();
    return template;
  }
}

/** Meta's button template takes a text of at most 640 characters: checked when the template is saved. */
function refuseLongButtonText(text: string, buttons: readonly unknown[] | null): void {
  if (!buttons || buttons.length === 0 || [...text].length <= BUTTON_TEMPLATE_TEXT_MAX_LENGTH) return;
  throw new DomainError(
    'validation_failed',
    `with buttons, text must be at most ${BUTTON_TEMPLATE_TEXT_MAX_LENGTH} characters (Meta’s button template)`,
    { text: `must be at most ${BUTTON_TEMPLATE_TEXT_MAX_LENGTH} characters with buttons` },
  );
}
