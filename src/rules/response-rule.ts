import type { MatchType } from './matching/matchable-rule';
import type { RuleTrigger } from './rule-trigger';

/** A keyword rule of one account: the first active rule that matches answers. */
export interface ResponseRule {
  id: string;
  accountId: string;
  name: string;
  trigger: RuleTrigger;
  /** `postback` rules compare keywords exactly with the payload and ignore it. */
  matchType: MatchType;
  keywords: string[];
  /** May use `{{username}}` and `{{name}}` of the contact; null when the rule answers with a template. */
  responseText: string | null;
  /** One of the account's templates to answer with instead of a text; null when it answers with `responseText`. */
  templateName: string | null;
  /** `comment` rules: only comments on these media (posts, reels, lives); null: any media. */
  mediaIds: string[] | null;
  /** `comment` rules: posted once under the comment, besides the private reply; null: none. */
  publicReplyText: string | null;
  /** Higher is tried first; ties go to the older rule. */
  priority: number;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewResponseRule = Pick<ResponseRule, 'name' | 'matchType' | 'keywords'> &
  Partial<
    Pick<
      ResponseRule,
      'trigger' | 'mediaIds' | 'publicReplyText' | 'priority' | 'isActive' | 'responseText' | 'templateName'
    >
  >;

export type ResponseRuleChanges = Partial<NewResponseRule>;

/** The fields an operator writes, in the order the admin API shows them. */
const WRITABLE_RULE_FIELDS = [
  'name',
  'trigger',
  'matchType',
  'keywords',
  'responseText',
  'templateName',
  'mediaIds',
  'publicReplyText',
  'priority',
  'isActive',
] as const satisfies ReadonlyArray<keyof NewResponseRule>;

type WritableRuleField = (typeof WRITABLE_RULE_FIELDS)[number];

/** The writable rule fields of `source` (a request body, a stored rule), and nothing else it holds. */
export function writableRuleFieldsOf<T extends Partial<Record<WritableRuleField, unknown>>>(
  source: T,
): Pick<T, WritableRuleField> {
  return Object.fromEntries(WRITABLE_RULE_FIELDS.map((field) => [field, source[field]])) as Pick<T, WritableRuleField>;
}
