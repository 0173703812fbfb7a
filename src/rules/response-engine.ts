import { Injectable } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { describeRuleMatch } from './matching/describe-rule-match';
import { findMatchingRule } from './matching/find-matching-rule';
import type { ResponseRule } from './response-rule';

/** What the account answers to one message, and why. */
export interface ReplyDecision {
  source: 'rule' | 'fallback' | 'none';
  rule: ResponseRule | null;
  /** The reply as the rule or fallback writes it (`{{username}}` and `{{name}}` still to fill in); null when there is none. */
  text: string | null;
  /** The account's template the rule answers with instead of a text; null otherwise. */
  templateName: string | null;
  reason: string;
}

/**
 * Picks the reply to one message from the account's active rules: the first
 * matching rule, else the account's fallback response, else nothing. It only
 * decides: it reads nothing and writes nothing, so a whole batch of messages
 * is decided in memory, and the caller logs and stores what it decided.
 */
@Injectable()
export class ResponseEngine {
  decide(
    account: Pick<InstagramBusinessAccount, 'fallbackResponse'>,
    text: string | null,
    rules: readonly ResponseRule[],
  ): ReplyDecision {
    const match = findMatchingRule(rules, text ?? '');
    if (match) {
      const { responseText, templateName } = match.rule;
      return { source: 'rule', rule: match.rule, text: responseText, templateName, reason: describeRuleMatch(match) };
    }
    if (account.fallbackResponse && account.fallbackResponse.trim() !== '') {
      return {
        source: 'fallback',
        rule: null,
        text: account.fallbackResponse,
        templateName: null,
        reason: 'no rule matched: the account’s fallback response answers',
      };
    }
    return {
      source: 'none',
      rule: null,
      text: null,
      templateName: null,
      reason: 'no rule matched and the account has no fallback response',
    };
  }
}
