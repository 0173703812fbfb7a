import { Injectable } from '@nestjs/common';
import { AccountsService } from '@accounts';
import { DomainError, ID_PATTERN, decodeCursor, encodeCursor, type Page } from '@common';
import { ActiveRulesCache } from './active-rules-cache';
import { renderReply, unsupportedReplyPlaceholders } from './matching/render-reply';
import type { NewResponseRule, ResponseRule, ResponseRuleChanges } from './response-rule';
import { ResponseEngine, type ReplyDecision } from './response-engine';
import { RuleRepository } from './rule.repository';

/** The admin side of response rules: every call names the account, and a rule of another account is a 404. */
@Injectable()
export class RulesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly rules: RuleRepository,
    private readonly cache: ActiveRulesCache,
    private readonly engine: ResponseEngine,
  ) {}

  async list(accountId: string, limit: number, cursor: string | null): Promise<Page<ResponseRule>> {
    await this.accounts.get(accountId);
    const all = await this.rules.list(accountId);
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
    const created = await this.rules.create(accountId, rule);
    this.cache.invalidate(accountId);
    return created;
  }

  async update(accountId: string, ruleId: string, changes: ResponseRuleChanges): Promise<ResponseRule> {
    await this.accounts.get(accountId);
    if (changes.responseText) refuseUnsupportedPlaceholders(changes.responseText);
    const updated = ID_PATTERN.test(ruleId) ? await this.rules.update(accountId, ruleId, changes) : null;
    if (!updated) throw ruleNotFound();
    this.cache.invalidate(accountId);
    return updated;
  }

  async delete(accountId: string, ruleId: string): Promise<void> {
    await this.accounts.get(accountId);
    if (!ID_PATTERN.test(ruleId) || !(await this.rules.delete(accountId, ruleId))) throw ruleNotFound();
    this.cache.invalidate(accountId);
  }

  /** What the account would answer to `text`, rendered for `recipient`, without sending or storing anything. */
  async test(accountId: string, text: string, recipient: { username?: string; name?: string }): Promise<ReplyDecision> {
    const account = await this.accounts.get(accountId);
    const decision = this.engine.decide(account, text, await this.cache.activeRules(accountId));
    return {
      ...decision,
      text:
        decision.text === null
          ? null
          : renderReply(decision.text, { username: recipient.username, name: recipient.name }),
    };
  }

  private async require(accountId: string, ruleId: string): Promise<ResponseRule> {
    const rule = ID_PATTERN.test(ruleId) ? await this.rules.getById(accountId, ruleId) : null;
    if (!rule) throw ruleNotFound();
    return rule;
  }
}

const ruleNotFound = () => new DomainError('rule_not_found', 'rule not found in this account');

/** An automatic reply is unattended: a placeholder it cannot fill is a mistake to catch when saving. */
function refuseUnsupportedPlaceholders(responseText: string): void {
  const unsupported = unsupportedReplyPlaceholders(responseText);
  if (unsupported.length > 0) {
    const message = `responseText may only use {{username}} and {{name}}, not ${unsupported.map((p) => `{{${p}}}`).join(', ')}`;
    throw new DomainError('validation_failed', message, { responseText: message });
  }
}
