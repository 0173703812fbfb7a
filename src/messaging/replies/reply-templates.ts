import { Injectable, Logger } from '@nestjs/common';
import type { ResponseRule } from '@rules';
import { type MessageTemplate, RecentTemplates } from '@templates';
import { type OutboundPart, templateParts } from '../outbox/outbound-parts';

const templateKey = (accountId: string, name: string) => `${accountId}\u0000${name.toLowerCase()}`;

/** `{{username}}` and `{{name}}` are kept as they are: the sender fills them in, as in a rule's text. */
const KEEP_CONTACT_PLACEHOLDERS = { username: '{{username}}', name: '{{name}}' };

/** The templates the batch's rules answer with, read once before the batch's transaction. */
export class ReplyTemplateSet {
  private readonly logger = new Logger(ReplyTemplateSet.name);

  constructor(private readonly templates: Map<string, MessageTemplate>) {}

  /**
   * The parts a rule's template is queued as, with the contact's placeholders
   * still in them; null when the template is gone or needs parameters an
   * automatic reply cannot fill (no reply then, and the log says why).
   */
  partsOf(accountId: string, templateName: string): OutboundPart[] | null {
    const template = this.templates.get(templateKey(accountId, templateName));
    if (!template) {
      this.logger.warn({ accountId, templateName }, 'a rule answers with a template the account no longer has');
      return null;
    }
    try {
      return templateParts(template, KEEP_CONTACT_PLACEHOLDERS);
    } catch (error) {
      this.logger.warn({ accountId, templateName, err: error }, 'a rule’s template cannot be filled in automatically');
      return null;
    }
  }
}

/** The templates that the rules of the accounts answering in a batch name, from `RecentTemplates`. */
@Injectable()
export class ReplyTemplates {
  constructor(private readonly templates: RecentTemplates) {}

  async of(rules: Map<string, ResponseRule[]>): Promise<ReplyTemplateSet> {
    const wanted = new Map<string, { accountId: string; name: string }>();
    for (const [accountId, accountRules] of rules) {
      for (const { templateName } of accountRules) {
        if (templateName) wanted.set(templateKey(accountId, templateName), { accountId, name: templateName });
      }
    }
    const found = new Map<string, MessageTemplate>();
    await Promise.all(
      [...wanted].map(async ([key, { accountId, name }]) => {
        const template = await this.templates.get(accountId, name);
        if (template) found.set(key, template);
      }),
    );
    return new ReplyTemplateSet(found);
  }
}
