import { Injectable } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { type CommentReplyDecision, ResponseEngine, type ResponseRule } from '@rules';
import type { ChangeEvent } from '../intake/events/instagram-event';
import { type Conversation, isAutomationPaused } from '../conversation';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';
import { PRIVATE_REPLY_WINDOW_MS } from '../outbox/messaging-window';

/** What a comment rule did with one newly stored comment. */
export type CommentReplyOutcome =
  | { result: 'queued'; decision: CommentReplyDecision; publicReply: boolean }
  /** Redelivered while another copy was being answered: the unique key kept the reply it has. */
  | { result: 'already_answered'; decision: CommentReplyDecision }
  | { result: 'too_old'; decision: CommentReplyDecision }
  /** Automation is paused in the commenter's conversation (a person is answering them). */
  | { result: 'paused'; decision: CommentReplyDecision }
  | { result: 'no_rule' };

/**
 * Answers a comment on the account's media with the comment rules: a
 * private reply to the commenter (and, if the rule has one, a public reply
 * under the comment), queued in the commenter's conversation inside the
 * intake's transaction. Each is at most one per comment: a unique key over
 * the account, the comment id, the direction and the type refuses a second
 * one, whichever replica or redelivery tries. The account's own comments and
 * anything delivered in standby are never answered, nor a commenter whose
 * conversation has automation paused.
 */
@Injectable()
export class CommentReplies {
  constructor(
    private readonly messages: MessageRepository,
    private readonly engine: ResponseEngine,
  ) {}

  async answer(
    account: InstagramBusinessAccount,
    event: ChangeEvent,
    comment: Message,
    conversation: Conversation,
    rules: readonly ResponseRule[],
    now: Date,
  ): Promise<CommentReplyOutcome | null> {
    // The intake plan has decided the comment may be answered (`replyCandidate`).
    if (event.comment === null || comment.commentId === null || comment.senderId === null) return null;
    const decision = this.engine.decideComment({ text: comment.text, mediaId: event.comment.mediaId }, rules);
    if (!decision) return { result: 'no_rule' };
    // Meta refuses a private reply later than 7 days after the comment: a late redelivery gets none.
    if (now.getTime() - comment.timestamp.getTime() >= PRIVATE_REPLY_WINDOW_MS) return { result: 'too_old', decision };
    // A private reply is an automatic reply in the commenter's conversation: a pause there holds it back too.
    if (isAutomationPaused(conversation, now)) return { result: 'paused', decision };
    const reply = {
      accountId: account.id,
      conversationId: comment.conversationId,
      recipientId: comment.senderId,
      origin: 'rule' as const,
      ruleId: decision.rule.id,
      commentId: comment.commentId,
    };
    const privateReply = await this.messages.enqueue({
      ...reply,
      type: 'text',
      text: decision.text,
      replyToMessageId: comment.id,
      metadata: { commentedAt: comment.timestamp.toISOString() },
    });
    if (!privateReply) return { result: 'already_answered', decision };
    const publicReply =
      decision.publicReplyText === null
        ? null
        : await this.messages.enqueue({ ...reply, type: 'comment', text: decision.publicReplyText });
    return { result: 'queued', decision, publicReply: publicReply !== null };
  }
}
