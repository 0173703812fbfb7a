import type { Page } from '@common';
import type { MessageTemplate, MessageTemplateChanges, NewMessageTemplate } from './message-template';

/** Message templates, every operation scoped to one account. */
export abstract class MessageTemplateRepository {
  /** Oldest first. */
  abstract list(accountId: string, limit: number, cursor: string | null): Promise<Page<MessageTemplate>>;
  abstract getById(accountId: string, templateId: string): Promise<MessageTemplate | null>;
  /** The template with this name, ignoring case. */
  abstract getByName(accountId: string, name: string): Promise<MessageTemplate | null>;
  /** @throws DomainError `conflict` when the account already has a template of that name. */
  abstract create(accountId: string, template: NewMessageTemplate): Promise<MessageTemplate>;
  /** Null when the account has no such template. @throws DomainError `conflict` on a name already taken. */
  abstract update(
    accountId: string,
    templateId: string,
    changes: MessageTemplateChanges,
  ): Promise<MessageTemplate | null>;
  abstract delete(accountId: string, templateId: string): Promise<boolean>;
}
