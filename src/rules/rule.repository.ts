import type { NewResponseRule, ResponseRule, ResponseRuleChanges } from './response-rule';

/** Response rules, every operation scoped to one account. */
export abstract class RuleRepository {
  /** Active rules in the order they are tried: priority descending, then oldest first. */
  abstract getActiveRules(accountId: string): Promise<ResponseRule[]>;
  /** All rules of the account, in the same order. */
  abstract list(accountId: string): Promise<ResponseRule[]>;
  abstract getById(accountId: string, ruleId: string): Promise<ResponseRule | null>;
  abstract create(accountId: string, rule: NewResponseRule): Promise<ResponseRule>;
  /** Null when the account has no such rule. */
  abstract update(accountId: string, ruleId: string, changes: ResponseRuleChanges): Promise<ResponseRule | null>;
  abstract delete(accountId: string, ruleId: string): Promise<boolean>;
  /** A number that changes whenever the account's rules change, read cheaply by every replica's cache. */
  abstract getVersion(accountId: string): Promise<number>;
}
