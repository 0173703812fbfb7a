import type { RuleTrigger } from '../rule-trigger';
import { findMatchingRule, rulesInPriorityOrder } from './find-matching-rule';
import type { MatchableRule, RuleMatch } from './matchable-rule';

/** What trigger matching needs of a rule besides what keyword matching needs. */
export interface TriggeredRule extends MatchableRule {
  trigger: RuleTrigger;
  mediaIds: readonly string[] | null;
}

/** The comment a `comment` rule is tried on. */
export interface CommentToMatch {
  text: string | null;
  /** The post, reel or live video commented on; null when Meta did not name it. */
  mediaId: string | null;
}

/** The first active `message` rule that matches a Direct Message's text. */
export function findMessageRule<Rule extends TriggeredRule>(
  rules: readonly Rule[],
  text: string,
): RuleMatch<Rule> | null {
  return findMatchingRule(
    rules.filter((rule) => rule.trigger === 'message'),
    text,
  );
}

/**
 * The first active `postback` rule with a keyword equal to the payload, in
 * priority order. Payloads are identifiers the business wrote into its
 * buttons, so the comparison is exact: no case folding, no trimming, and the
 * rule's match type plays no part.
 */
export function findPostbackRule<Rule extends TriggeredRule>(
  rules: readonly Rule[],
  payload: string,
): RuleMatch<Rule> | null {
  if (payload === '') return null;
  for (const rule of rulesInPriorityOrder(rules)) {
    if (!rule.isActive || rule.trigger !== 'postback') continue;
    const keyword = rule.keywords.find((candidate) => candidate === payload);
    if (keyword !== undefined) return { rule, keyword, matchType: 'exact' };
  }
  return null;
}

/**
 * The first active `comment` rule that matches a comment's text, among those
 * that either name no media or name the media commented on.
 */
export function findCommentRule<Rule extends TriggeredRule>(
  rules: readonly Rule[],
  comment: CommentToMatch,
): RuleMatch<Rule> | null {
  const onThisMedia = rules.filter(
    (rule) =>
      rule.trigger === 'comment' &&
      (rule.mediaIds === null ||
        rule.mediaIds.length === 0 ||
        (comment.mediaId !== null && rule.mediaIds.includes(comment.mediaId))),
  );
  return findMatchingRule(onThisMedia, comment.text ?? '');
}
