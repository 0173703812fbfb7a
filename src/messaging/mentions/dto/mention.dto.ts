import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { mapPage, type Page } from '@common';
import { NextCursorProperty, PageQueryDto } from '@http';
import { MESSAGE_SOURCES, type MessageSource } from '../../message';
import type { Mention } from '../mention';

/** `GET /accounts/:accountId/mentions`: a page, optionally of one media's mentions. */
export class MentionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only mentions on this post or reel', example: '18000000000001911' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  mediaId?: string;
}

export class MentionResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d' }) id!: string;
  @ApiProperty({ enum: ['mention'], example: 'mention' }) type!: 'mention';
  @ApiProperty({ example: '18000000000001911', description: 'the post or reel the account was mentioned on' })
  mediaId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the comment that mentions the account; null for a mention in the caption',
    example: '18000000000001912',
  })
  commentId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'Meta’s time', example: '2026-03-14T09:26:53.000Z' })
  timestamp!: Date;

  @ApiProperty({ enum: MESSAGE_SOURCES, example: 'webhook', description: 'how it came: `webhook` or `replay`' })
  source!: MessageSource;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' }) createdAt!: Date;

  static from(mention: Mention): MentionResponseDto {
    return Object.assign(new MentionResponseDto(), {
      id: mention.id,
      type: 'mention',
      mediaId: mention.mediaId,
      commentId: mention.commentId,
      timestamp: mention.mentionedAt,
      source: mention.source,
      createdAt: mention.createdAt,
    });
  }
}

export class MentionPageDto {
  @ApiProperty({ type: [MentionResponseDto] }) items!: MentionResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;

  static from(page: Page<Mention>): MentionPageDto {
    return mapPage(page, (mention) => MentionResponseDto.from(mention));
  }
}
