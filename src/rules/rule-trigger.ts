/**
 * What a rule answers:
 * - `message`: a customer's Direct Message (the default);
 * - `comment`: a comment or live comment on the account's media, answered with a private reply;
 * - `postback`: the payload of a quick reply, an ice breaker, a persistent-menu item or a button.
 */
export const RULE_TRIGGERS = ['message', 'comment', 'postback'] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];
