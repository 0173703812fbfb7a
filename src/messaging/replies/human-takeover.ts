import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@common';
import type { Conversation } from '../conversation';
import { ConversationRepository } from '../conversation.repository';
import type { Message } from '../message';
import { MessageRepository } from '../message.repository';

/** A person answering from the Instagram app takes the conversation over for this long. */
export const HUMAN_TAKEOVER_MS = 30 * 60 * 1000;

/** A pause within this of "echo stored + takeover time" is taken to be the one that echo set. */
const PAUSE_MATCH_TOLERANCE_MS = 5000;

/**
 * Human takeover, in one place: when a person writes from the Instagram app
 * (an echo the service did not send), automatic replies in that conversation
 * pause for HUMAN_TAKEOVER_MS; when such an echo turns out to be the
 * service's own message after all (its echo overtook the Send API's answer),
 * the pause it caused is undone. A pause an operator set is left alone.
 */
@Injectable()
export class HumanTakeover {
  private readonly logger = new Logger(HumanTakeover.name);

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  /** A person wrote from the app: pause, unless a longer pause is already set. Answers the new pause's end, or null. */
  async personAnswered(accountId: string, conversation: Conversation): Promise<Date | null> {
    const until = new Date(this.clock.now().getTime() + HUMAN_TAKEOVER_MS);
    const current = conversation.automationPausedUntil;
    if (current && current.getTime() >= until.getTime()) return null;
    await this.conversations.setAutomationPausedUntil(accountId, conversation.id, until);
    this.logger.log(
      { accountId, conversationId: conversation.id },
      'automatic replies paused: a person answered from the Instagram app',
    );
    return until;
  }

  /**
   * `echo` was stored as a person's message but is `message`, sent by the
   * service: the pause it set goes back to what the last real app message
   * calls for (none, usually). Answers the conversation when that lifted
   * the pause, else null.
   */
  async echoWasOurs(message: Message, echo: Message): Promise<Conversation | null> {
    const conversation = await this.conversations.getById(message.accountId, message.conversationId);
    const pausedUntil = conversation?.automationPausedUntil;
    const echoPauseEnd = echo.createdAt.getTime() + HUMAN_TAKEOVER_MS;
    if (!pausedUntil || Math.abs(pausedUntil.getTime() - echoPauseEnd) > PAUSE_MATCH_TOLERANCE_MS) return null;
    const lastAppMessage = await this.messages.lastAppMessageStoredAt(message.accountId, message.conversationId);
    const stillPausedUntil = lastAppMessage ? lastAppMessage.getTime() + HUMAN_TAKEOVER_MS : 0;
    const lifted = stillPausedUntil <= this.clock.now().getTime();
    await this.conversations.setAutomationPausedUntil(
      message.accountId,
      message.conversationId,
      lifted ? null : new Date(stillPausedUntil),
    );
    return lifted ? conversation : null;
  }
}
