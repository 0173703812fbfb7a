// What other modules may use of `rules`; everything else in the folder is its own.
export { ActiveRulesCache } from './active-rules-cache';
export { renderReply } from './matching/render-reply';
export type { ReplyRecipient } from './matching/render-reply';
export { ResponseRuleEntity } from './persistence/response-rule.entity';
export { ResponseEngine } from './response-engine';
export type { CommentReplyDecision, ReplyDecision } from './response-engine';
export type { ResponseRule } from './response-rule';
export { RulesModule } from './rules.module';
