import { ApiProperty } from '@nestjs/swagger';
import { NextCursorProperty } from '@http';
import {
  type ConversationSummary,
  isAutomationPaused,
  isPausedUntilResumed,
  windowExpiresAt,
} from '../../conversation';

const EXAMPLE_TIME = '2026-03-14T09:26:53.589Z';

export class ConversationResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-8b21-7e3f-9a4c-2d3e4f5a6b7c' }) id!: string;
  @ApiProperty({ description: 'the customer’s IGSID', example: '1029384756102938' }) participantId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'from Meta’s profile, once looked up', example: 'ana.b' })
  participantUsername!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'from Meta’s profile, once looked up', example: 'Ana B' })
  participantName!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME })
  lastMessageAt!: Date | null;

  @ApiProperty({ description: 'Meta’s 24-hour window for automatic messages is open', example: true })
  windowOpen!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: '24 h after the customer’s last message',
    example: '2026-03-15T09:26:53.589Z',
  })
  windowExpiresAt!: Date | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'until when automatic replies are paused; null when they are not, or are paused until resumed',
    example: null,
  })
  automationPausedUntil!: Date | null;

  @ApiProperty({ description: 'automatic replies are paused until an operator resumes them', example: false })
  automationPausedIndefinitely!: boolean;

  /** `now` decides whether the window is still open. */
  static from(conversation: ConversationSummary, now: Date): ConversationResponseDto {
    const expiresAt = windowExpiresAt(conversation);
    const paused = isAutomationPaused(conversation, now);
    const indefinitely = paused && isPausedUntilResumed(conversation);
    return {
      id: conversation.id,
      participantId: conversation.participantId,
      participantUsername: conversation.participantUsername,
      participantName: conversation.participantName,
      lastMessageAt: conversation.lastMessageAt,
      windowOpen: expiresAt !== null && expiresAt.getTime() > now.getTime(),
      windowExpiresAt: expiresAt,
      automationPausedUntil: paused && !indefinitely ? conversation.automationPausedUntil : null,
      automationPausedIndefinitely: indefinitely,
    };
  }
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationResponseDto] }) items!: ConversationResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;
}
