import type { MatchType } from './matching/matchable-rule';

/** A keyword rule of one account: the first active rule that matches answers. */
export interface ResponseRule {
  id: string;
  accountId: string;
  name: string;
  matchType: MatchType;
  keywords: string[];
  /** May use `{{username}}` and `{{name}}` of the contact. */
  responseText: string;
  /** Higher is tried first; ties go to the older rule. */
  priority: number;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewResponseRule = Pick<ResponseRule, 'name' | 'matchType' | 'keywords' | 'responseText'> &
  Partial<Pick<ResponseRule, 'priority' | 'isActive'>>;

export type ResponseRuleChanges = Partial<NewResponseRule>;
