import { ApiProperty } from '@nestjs/swagger';
import type {
  Attachment,
  Message,
  MessageDirection,
  MessageOrigin,
  MessageType,
  OutboundStatus,
} from '../messages/message';

const MESSAGE_TYPES: MessageType[] = [
  'text',
  'attachment',
  'reaction',
  'postback',
  'seen',
  'story_reply',
  'story_mention',
  'share',
  'referral',
  'comment',
  'deleted',
  'unsupported',
  'template',
  'other',
];
const STATUSES: OutboundStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];
const ORIGINS: MessageOrigin[] = ['rule', 'fallback', 'operator', 'app'];

class AttachmentDto {
  @ApiProperty({ example: 'image' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
}

/**
 * One message as the admin API shows it, in either direction: a whitelist of
 * fields. The delivery fields (`status` to `origin`) are null for inbound
 * messages.
 */
export class MessageResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() conversationId!: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: MessageDirection;
  @ApiProperty({ enum: MESSAGE_TYPES }) type!: MessageType;
  @ApiProperty({ type: String, nullable: true }) text!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Meta’s message id; null until an outbound message is sent',
  })
  mid!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Meta’s time for inbound messages; when it was queued for outbound ones',
  })
  timestamp!: Date;

  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];

  @ApiProperty({
    enum: STATUSES,
    nullable: true,
    description: 'queued → sending → sent → delivered (by Meta’s echo), or failed',
  })
  status!: OutboundStatus | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Send API calls made for it' })
  attempts!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'why the last attempt failed, or why it is waiting' })
  lastError!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a queued message is tried (again); held while the account’s token is invalid',
  })
  nextAttemptAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Meta’s error code of the last failure' })
  lastErrorCode!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Meta’s error subcode of the last failure' })
  lastErrorSubcode!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'the rule whose reply this is' })
  ruleId!: string | null;

  @ApiProperty({ enum: ORIGINS, nullable: true }) origin!: MessageOrigin | null;
  @ApiProperty({ type: String, nullable: true, example: 'HUMAN_AGENT' }) tag!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: Date | null;

  static from(message: Message): MessageResponseDto {
    const outbound = message.direction === 'outbound';
    return Object.assign(new MessageResponseDto(), {
      id: message.id,
      conversationId: message.conversationId,
      direction: message.direction,
      type: message.type,
      text: message.text,
      mid: message.mid,
      timestamp: message.timestamp,
      attachments: message.attachments.map(({ type, payload }: Attachment) => ({ type, payload })),
      status: outbound ? message.status : null,
      attempts: outbound ? message.attempts : null,
      lastError: outbound ? message.lastError : null,
      nextAttemptAt: outbound && message.status === 'queued' ? message.nextAttemptAt : null,
      lastErrorCode: outbound ? message.lastErrorCode : null,
      lastErrorSubcode: outbound ? message.lastErrorSubcode : null,
      ruleId: outbound ? message.ruleId : null,
      origin: outbound ? message.origin : null,
      tag: outbound ? message.tag : null,
      sentAt: outbound ? message.sentAt : null,
      deliveredAt: outbound ? message.deliveredAt : null,
    });
  }
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageResponseDto] }) items!: MessageResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
