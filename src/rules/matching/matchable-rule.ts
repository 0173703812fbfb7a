export const MATCH_TYPES = ['contains', 'word', 'exact', 'starts_with'] as const;

/**
 * - `contains`: the keyword appears anywhere in the message;
 * - `word`: the keyword appears as a whole word or phrase (see keyword-match.ts);
 * - `exact`: the whole message is the keyword;
 * - `starts_with`: the message begins with the keyword.
 */
export type MatchType = (typeof MATCH_TYPES)[number];

/** What the matcher needs of a response rule. */
export interface MatchableRule {
  id: string;
  name: string;
  matchType: MatchType;
  keywords: readonly string[];
  /** Higher is tried first. */
  priority: number;
  isActive: boolean;
  /** Breaks priority ties: the older rule is tried first. */
  createdAt: Date;
}

/** The rule that answers a message, and why. */
export interface RuleMatch<Rule extends MatchableRule = MatchableRule> {
  rule: Rule;
  /** The keyword as written in the rule. */
  keyword: string;
  matchType: MatchType;
}
