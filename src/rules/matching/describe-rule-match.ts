import type { MatchType, RuleMatch } from './matchable-rule';

const HOW_IT_MATCHED: Record<MatchType, string> = {
  contains: 'appears in the message',
  word: 'appears in the message as a whole word',
  exact: 'is the whole message',
  starts_with: 'starts the message',
};

/** One sentence for an operator: which rule answered and why, e.g. for `POST .../rules/test`. */
export function describeRuleMatch(match: RuleMatch): string {
  return `rule "${match.rule.name}" matched: keyword "${match.keyword}" ${HOW_IT_MATCHED[match.matchType]}`;
}
