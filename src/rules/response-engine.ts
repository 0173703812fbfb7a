import { Injectable } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { describeRuleMatch } from './matching/describe-rule-match';
import { type CommentToMatch, findCommentRule, findMessageRule, findPostbackRule } from './matching/trigger-match';
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

/** The private reply (and optional public reply) a comment rule gives a comment; null when no rule answers. */
export interface CommentReplyDecision {
  rule: ResponseRule;
  /** The private reply as the rule writes it (`{{username}}` and `{{name}}` still to fill in). */
  text: string;
  publicReplyText: string | null;
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
  /**
   * `payload` is a postback's or a quick reply's: the first `postback` rule
   * whose keyword is that payload answers; otherwise the `message` rules
   * and the fallback answer the text (a quick reply's title), as for any message.
   */
  decide(
    account: Pick<InstagramBusinessAccount, 'fallbackResponse'>,
    text: string | null,
    rules: readonly ResponseRule[],
    payload: string | null = null,
  ): ReplyDecision {
    const postback = payload === null ? null : findPostbackRule(rules, payload);
    if (postback) {
      const { responseText, templateName } = postback.rule;
      const reason = `rule "${postback.rule.name}" matched: keyword "${postback.keyword}" is the postback payload`;
      return { source: 'rule', rule: postback.rule, text: responseText, templateName, reason };
    }
    const match = findMessageRule(rules, text ?? '');
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

  /**
   * The comment rule that answers a comment, if any. Comments are public and
   * many: only a rule written for them answers, never the fallback response.
   */
  decideComment(comment: CommentToMatch, rules: readonly ResponseRule[]): CommentReplyDecision | null {
    const match = findCommentRule(rules, comment);
    if (!match) return null;
    return {
      rule: match.rule,
      // A comment rule always answers with a text (a template is refused on it when it is saved).
      text: match.rule.responseText ?? '',
      publicReplyText: match.rule.publicReplyText,
      reason: describeRuleMatch(match),
    };
  }
}
