import { Injectable } from '@nestjs/common';
import { AccountsService } from '@accounts';
import { DomainError, ID_PATTERN, decodeCursor, encodeCursor, type Page } from '@common';
import { ActiveRulesCache } from './active-rules-cache';
import { renderReply, unsupportedReplyPlaceholders } from './matching/render-reply';
import type { NewResponseRule, ResponseRule, ResponseRuleChanges } from './response-rule';
import { ResponseEngine, type ReplyDecision } from './response-engine';
import { RuleRepository } from './rule.repository';
import type { RuleTrigger } from './rule-trigger';

/** What `POST .../rules/test` tries the rules on. */
export interface RuleTestInput {
  trigger?: RuleTrigger;
  text?: string;
  payload?: string;
  mediaId?: string;
  username?: string;
  name?: string;
}

/** What the account would answer, rendered, with a comment rule's public reply. */
export type RuleTestOutcome = ReplyDecision & { publicReplyText: string | null };

/** The admin side of response rules: every call names the account, and a rule of another account is a 404. */
@Injectable()
export class RulesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly rules: RuleRepository,
    private readonly cache: ActiveRulesCache,
    private readonly engine: ResponseEngine,
  ) {}

  async list(
    accountId: string,
    limit: number,
    cursor: string | null,
    trigger?: RuleTrigger,
  ): Promise<Page<ResponseRule>> {
    await this.accounts.get(accountId);
    const all = (await this.rules.list(accountId)).filter((rule) => trigger === undefined || rule.trigger === trigger);
    // Accounts have tens of rules, not thousands: the page is cut from the ordered list.
    const start = cursor ? all.findIndex((rule) => rule.id === decodeCursor(cursor, 1)[0]) + 1 : 0;
    const items = all.slice(start, start + limit);
    const more = start + limit < all.length;
    return { items, nextCursor: more ? encodeCursor([items[items.length - 1].id]) : null };
  }

  async get(accountId: string, ruleId: string): Promise<ResponseRule> {
    await this.accounts.get(accountId);
    return this.require(accountId, ruleId);
  }

  async create(accountId: string, rule: NewResponseRule): Promise<ResponseRule> {
    await this.accounts.get(accountId);
    if (rule.responseText) refuseUnsupportedPlaceholders(rule.responseText);
    if (rule.publicReplyText) refuseUnsupportedPlaceholders(rule.publicReplyText, 'publicReplyText');
    refuseFieldsOutsideTheirTrigger({
      trigger: 'message',
      mediaIds: null,
      publicReplyText: null,
      templateName: null,
      ...rule,
    });
    const created = await this.rules.create(accountId, rule);
    this.cache.invalidate(accountId);
    return created;
  }

  async update(accountId: string, ruleId: string, changes: ResponseRuleChanges): Promise<ResponseRule> {
    await this.accounts.get(accountId);
    if (changes.responseText) refuseUnsupportedPlaceholders(changes.responseText);
    if (changes.publicReplyText) refuseUnsupportedPlaceholders(changes.publicReplyText, 'publicReplyText');
    const current = await this.require(accountId, ruleId);
    refuseFieldsOutsideTheirTrigger({ ...current, ...definedOnly(changes) });
    const updated = await this.rules.update(accountId, ruleId, changes);
    if (!updated) throw ruleNotFound();
    this.cache.invalidate(accountId);
    return updated;
  }

  async delete(accountId: string, ruleId: string): Promise<void> {
    await this.accounts.get(accountId);
    if (!ID_PATTERN.test(ruleId) || !(await this.rules.delete(accountId, ruleId))) throw ruleNotFound();
    this.cache.invalidate(accountId);
  }

  /**
   * What the account would answer to a message, a comment or a postback,
   * rendered for the person named, without sending or storing anything.
   */
  async test(accountId: string, input: RuleTestInput): Promise<RuleTestOutcome> {
    const account = await this.accounts.get(accountId);
    const rules = await this.cache.activeRules(accountId);
    const recipient = { username: input.username, name: input.name };
    if (input.trigger === 'comment') {
      const comment = this.engine.decideComment({ text: input.text ?? '', mediaId: input.mediaId ?? null }, rules);
      if (!comment) {
        const reason = 'no comment rule matched: the comment gets no reply';
        return { source: 'none', rule: null, text: null, templateName: null, reason, publicReplyText: null };
      }
      return {
        source: 'rule',
        rule: comment.rule,
        text: renderReply(comment.text, recipient),
        templateName: null,
        reason: comment.reason,
        publicReplyText: comment.publicReplyText,
      };
    }
    const payload = input.trigger === 'postback' ? (input.payload ?? null) : null;
    const decision = this.engine.decide(account, input.text ?? null, rules, payload);
    return {
      ...decision,
      text: decision.text === null ? null : renderReply(decision.text, recipient),
      publicReplyText: null,
    };
  }

  private async require(accountId: string, ruleId: string): Promise<ResponseRule> {
    const rule = ID_PATTERN.test(ruleId) ? await this.rules.getById(accountId, ruleId) : null;
    if (!rule) throw ruleNotFound();
    return rule;
  }
}

const ruleNotFound = () => new DomainError('rule_not_found', 'rule not found in this account');

const definedOnly = (changes: ResponseRuleChanges): ResponseRuleChanges =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

/**
 * A media filter or a public reply means something only for comments, and a
 * template only for messages and postbacks (a private reply is a text): on
 * another trigger it would be silently ignored, so it is refused instead.
 */
function refuseFieldsOutsideTheirTrigger(
  rule: Pick<ResponseRule, 'trigger' | 'mediaIds' | 'publicReplyText' | 'templateName'>,
): void {
  const fields: Record<string, string> = {};
  if (rule.trigger !== 'comment') {
    if (rule.mediaIds !== null && rule.mediaIds !== undefined && rule.mediaIds.length > 0) {
      fields.mediaIds = `mediaIds applies to comment rules only, not to ${rule.trigger} rules`;
    }
    if (rule.publicReplyText !== null && rule.publicReplyText !== undefined) {
      fields.publicReplyText = `publicReplyText applies to comment rules only, not to ${rule.trigger} rules`;
    }
  } else if (rule.templateName !== null && rule.templateName !== undefined) {
    fields.templateName =
      'templateName applies to message and postback rules; a comment rule answers with responseText';
  }
  const messages = Object.values(fields);
  if (messages.length === 0) return;
  // Either side of the conflict may be the mistake: the trigger is named too.
  const wanted = rule.trigger === 'comment' ? 'message or postback' : 'comment';
  fields.trigger = `trigger must be ${wanted} for ${Object.keys(fields).join(' and ')}`;
  throw new DomainError('validation_failed', messages.join('; '), fields);
}

/** An automatic reply is unattended: a placeholder it cannot fill is a mistake to catch when saving. */
function refuseUnsupportedPlaceholders(text: string, field = 'responseText'): void {
  const unsupported = unsupportedReplyPlaceholders(text);
  if (unsupported.length > 0) {
    const message = `${field} may only use {{username}} and {{name}}, not ${unsupported.map((p) => `{{${p}}}`).join(', ')}`;
    throw new DomainError('validation_failed', message, { [field]: message });
  }
}
