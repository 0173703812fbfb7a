import { ApiProperty } from '@nestjs/swagger';
import { NextCursorProperty } from '@http';
import {
  type Attachment,
  MESSAGE_DIRECTIONS,
  MESSAGE_ORIGINS,
  MESSAGE_SOURCES,
  MESSAGE_TYPES,
  type Message,
  type MessageDirection,
  type MessageOrigin,
  type MessageSource,
  type MessageType,
  OUTBOUND_STATUSES,
  type OutboundStatus,
} from '../../message';
import { NO_REPLY_REASONS, type NoReplyReason } from '../../replies/auto-reply-policy';
import { mediaLinkExpiresAt } from '../media-link-expiry';

class AttachmentDto {
  @ApiProperty({ example: 'image', description: '`image`, `video`, `audio`, `file`, `like_heart`, `share`, …' })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Meta’s link to the media (not downloaded by this service); null when Meta gave none',
    example: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
  })
  url!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'when Meta’s CDN link stops working, where the link says so; null when Meta gives no expiry (links of customers’ media still expire within days)',
    example: null,
  })
  urlExpiresAt!: Date | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'as Meta sent it',
    example: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' },
  })
  payload!: Record<string, unknown>;
}

const EXAMPLE_TIME = '2026-03-14T09:26:53.589Z';

/**
 * One message as the admin API shows it, in either direction: a whitelist of
 * fields. The delivery fields (`status` to `deliveredAt`) are null for
 * inbound messages.
 */
export class MessageResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '019ac4a2-8b21-7e3f-9a4c-2d3e4f5a6b7c' }) conversationId!: string;
  @ApiProperty({ enum: MESSAGE_DIRECTIONS, example: 'outbound' }) direction!: MessageDirection;
  @ApiProperty({ enum: MESSAGE_TYPES, example: 'text' }) type!: MessageType;
  @ApiProperty({ type: String, nullable: true, example: 'Your order has shipped.' }) text!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Meta’s message id; null until an outbound message is sent',
    example: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAx',
  })
  mid!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Meta’s time for inbound messages; when it was queued for outbound ones',
    example: EXAMPLE_TIME,
  })
  timestamp!: Date;

  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];

  @ApiProperty({
    enum: MESSAGE_SOURCES,
    description:
      'how it came: a webhook, a backfill through the Conversations API, a replay of a kept delivery, ' +
      'or the service’s own API (automatic replies, operators)',
    example: 'webhook',
  })
  source!: MessageSource;

  @ApiProperty({
    enum: [...OUTBOUND_STATUSES, null],
    nullable: true,
    description: 'queued → sending → sent → delivered (by Meta’s echo), or failed; null for inbound messages',
    example: 'queued',
  })
  status!: OutboundStatus | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Send API calls made for it', example: 0 })
  attempts!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the last attempt failed, or why it is waiting',
    example: null,
  })
  lastError!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a queued message is tried (again); held while the account’s token is invalid',
    example: EXAMPLE_TIME,
  })
  nextAttemptAt!: Date | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Meta’s error code of the last failure', example: null })
  lastErrorCode!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Meta’s error subcode of the last failure',
    example: null,
  })
  lastErrorSubcode!: number | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the rule whose reply this is',
    example: null,
  })
  ruleId!: string | null;

  @ApiProperty({
    enum: [...MESSAGE_ORIGINS, null],
    nullable: true,
    description: 'who wrote an outbound message; null for inbound messages',
    example: 'operator',
  })
  origin!: MessageOrigin | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Meta’s comment id: on a comment or mention, on the private reply sent to it (`text`), and on the account’s public reply under it (outbound `comment`); null otherwise',
    example: null,
  })
  commentId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the post, reel or live video a comment or mention is on; null otherwise',
    example: null,
  })
  mediaId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: '`HUMAN_AGENT` on a late human reply' })
  tag!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'the payload of the button the customer tapped: a postback’s, or a quick reply’s (whose title is `text`); null otherwise',
    example: null,
  })
  payload!: string | null;

  @ApiProperty({
    enum: [...NO_REPLY_REASONS, null],
    nullable: true,
    description:
      'why this customer message got no automatic reply before any rule was looked at: automation paused, the 24-hour window closed, or the conversation’s limit of automatic replies reached; null otherwise',
    example: null,
  })
  noReplyReason!: NoReplyReason | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'the account’s reaction to this customer message (`PUT .../reaction`); null when none, and for outbound messages',
    example: null,
  })
  ourReaction!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) sentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) deliveredAt!: Date | null;

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
      attachments: message.attachments.map(attachmentOf),
      source: message.source,
      status: outbound ? message.status : null,
      attempts: outbound ? message.attempts : null,
      lastError: outbound ? message.lastError : null,
      nextAttemptAt: outbound && message.status === 'queued' ? message.nextAttemptAt : null,
      lastErrorCode: outbound ? message.lastErrorCode : null,
      lastErrorSubcode: outbound ? message.lastErrorSubcode : null,
      ruleId: outbound ? message.ruleId : null,
      origin: outbound ? message.origin : null,
      commentId: message.commentId,
      mediaId: outbound ? null : mediaIdOf(message),
      tag: outbound ? message.tag : null,
      payload: outbound ? null : tappedPayloadOf(message),
      noReplyReason: outbound ? null : message.noReplyReason,
      ourReaction: outbound ? null : message.ourReaction,
      sentAt: outbound ? message.sentAt : null,
      deliveredAt: outbound ? message.deliveredAt : null,
    });
  }
}

function attachmentOf({ type, payload }: Attachment): AttachmentDto {
  const url = typeof payload?.url === 'string' ? payload.url : null;
  return { type, url, urlExpiresAt: mediaLinkExpiresAt(url), payload };
}

/** The payload of a postback, or of a tapped quick reply, as the intake kept it. */
function tappedPayloadOf(message: Message): string | null {
  const value = message.metadata?.[message.type === 'postback' ? 'payload' : 'quickReplyPayload'];
  return typeof value === 'string' ? value : null;
}

/** The media of a comment or mention, as the intake kept it. */
function mediaIdOf(message: Message): string | null {
  const value = message.metadata?.mediaId;
  return typeof value === 'string' ? value : null;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageResponseDto] }) items!: MessageResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;
}
