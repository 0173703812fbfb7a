import { ApiProperty } from '@nestjs/swagger';
import { type Conversation, isAutomationPaused, windowExpiresAt } from '../conversation';

export class ConversationResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'the customer’s IGSID' }) participantId!: string;
  @ApiProperty({ type: String, nullable: true }) participantUsername!: string | null;
  @ApiProperty({ type: String, nullable: true }) participantName!: string | null;
  @ApiProperty({ type: Date, nullable: true }) lastMessageAt!: Date | null;
  @ApiProperty({ description: 'Meta’s 24-hour window for automatic messages is open' }) windowOpen!: boolean;
  @ApiProperty({ type: Date, nullable: true, description: '24 h after the customer’s last message' })
  windowExpiresAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'null when automatic replies are not paused' })
  automationPausedUntil!: Date | null;

  static from(
    conversation: Conversation & { participantUsername?: string | null; participantName?: string | null },
    now = new Date(),
  ): ConversationResponseDto {
    const expiresAt = windowExpiresAt(conversation);
    return {
      id: conversation.id,
      participantId: conversation.participantId,
      participantUsername: conversation.participantUsername ?? null,
      participantName: conversation.participantName ?? null,
      lastMessageAt: conversation.lastMessageAt,
      windowOpen: expiresAt !== null && expiresAt.getTime() > now.getTime(),
      windowExpiresAt: expiresAt,
      automationPausedUntil: isAutomationPaused(conversation, now) ? conversation.automationPausedUntil : null,
    };
  }
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationResponseDto] }) items!: ConversationResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
