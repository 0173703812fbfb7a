import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '../accounts/account';
import { ActiveRulesCache } from './active-rules-cache';
import { describeRuleMatch } from './matching/describe-rule-match';
import { findMatchingRule } from './matching/find-matching-rule';
import { renderReply, type ReplyRecipient } from './matching/render-template';
import type { ResponseRule } from './response-rule';

/** What the account answers to one message, and why. */
export interface ReplyDecision {
  source: 'rule' | 'fallback' | 'none';
  rule: ResponseRule | null;
  /** The rendered reply; null when there is none. */
  text: string | null;
  reason: string;
}

/**
 * Picks the reply to one message: the first matching rule of the account,
 * else the account's fallback response, else nothing. Every decision is
 * logged with the rule id or the reason there is no reply.
 */
@Injectable()
export class ResponseEngine {
  private readonly logger = new Logger(ResponseEngine.name);

  constructor(private readonly rules: ActiveRulesCache) {}

  async generateResponse(
    account: Pick<InstagramBusinessAccount, 'id' | 'fallbackResponse'>,
    message: { text: string | null },
    recipient: ReplyRecipient,
  ): Promise<ReplyDecision> {
    const decision = await this.decide(account, message.text ?? '', recipient);
    this.logger.log(
      { accountId: account.id, ruleId: decision.rule?.id ?? null, source: decision.source },
      decision.reason,
    );
    return decision;
  }

  private async decide(
    account: Pick<InstagramBusinessAccount, 'id' | 'fallbackResponse'>,
    text: string,
    recipient: ReplyRecipient,
  ): Promise<ReplyDecision> {
    const match = findMatchingRule(await this.rules.activeRules(account.id), text);
    if (match) {
      return {
        source: 'rule',
        rule: match.rule,
        text: renderReply(match.rule.responseText, recipient),
        reason: describeRuleMatch(match),
      };
    }
    if (account.fallbackResponse && account.fallbackResponse.trim() !== '') {
      return {
        source: 'fallback',
        rule: null,
        text: renderReply(account.fallbackResponse, recipient),
        reason: 'no rule matched: the account’s fallback response answers',
      };
    }
    return {
      source: 'none',
      rule: null,
      text: null,
      reason: 'no rule matched and the account has no fallback response',
    };
  }
}
