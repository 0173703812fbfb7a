import { keywordMatches } from './keyword-match';
import type { MatchableRule, RuleMatch } from './matchable-rule';
import { normalizeForMatching } from './normalize-for-matching';

/**
 * The rule that answers a message: the first active rule, in priority order,
 * with a keyword that matches. Within a rule the keywords are tried in the
 * order written, and the first that matches is reported.
 */
export function findMatchingRule<Rule extends MatchableRule>(
  rules: readonly Rule[],
  text: string,
): RuleMatch<Rule> | null {
  const normalizedText = normalizeForMatching(text);
  for (const rule of rulesInPriorityOrder(rules)) {
    if (!rule.isActive) continue;
    const keyword = rule.keywords.find((candidate) =>
      keywordMatches(rule.matchType, normalizedText, normalizeForMatching(candidate)),
    );
    if (keyword !== undefined) return { rule, keyword, matchType: rule.matchType };
  }
  return null;
}

/**
 * The order rules are tried in: higher priority first; on a tie the older
 * rule, and on the same creation time the smaller id, so the order never
 * depends on how the rules were loaded.
 */
export function rulesInPriorityOrder<Rule extends MatchableRule>(rules: readonly Rule[]): Rule[] {
  return [...rules].sort(
    (a, b) =>
      b.priority - a.priority ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
