import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { mapPage, type Page } from '@common';
import { NextCursorProperty, PageQueryDto } from '@http';
import type { UnroutableEvent } from '@messaging';
import type { ReplayCounts } from '../unroutable-replay.service';

const EXAMPLE_TIME = '2026-03-14T09:26:53.589Z';
const UNROUTABLE_REASONS = [
  'unknown_account',
  'inactive_account',
  'credentials_unreadable',
  'foreign_entry',
  'no_participant',
];

/** `GET /unroutable-events`: a page, optionally of one Instagram account's entries or of one reason. */
export class UnroutableEventListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'only entries for this Instagram account (`entry[].id`)',
    example: '17841400000000001',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  entryId?: string;

  @ApiPropertyOptional({
    description: `only entries kept for this reason (${UNROUTABLE_REASONS.join(', ')})`,
    example: 'unknown_account',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(32, { message: '$property must be at most 32 characters' })
  reason?: string;
}

export class UnroutableEventResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d' }) id!: string;

  @ApiProperty({ example: '17841400000000001', description: 'the Instagram account it is for (`entry[].id`)' })
  entryId!: string;

  @ApiProperty({
    example: 'unknown_account',
    description: `why no account applied it: ${UNROUTABLE_REASONS.join(', ')}`,
  })
  reason!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the account whose route it came on; null: the shared route',
    example: null,
  })
  routeAccountId!: string | null;

  @ApiProperty({
    format: 'uuid',
    description: 'the kept delivery it came in',
    example: '019ac4a2-8b21-7e3f-9a4c-2d3e4f5a6b7c',
  })
  deliveryId!: string;

  @ApiProperty({
    example: '0',
    description: 'its place in the delivery: `<entry>`, or `<entry>.<event>` for one event',
  })
  itemKey!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the entry or event as Meta sent it',
    example: { id: '17841400000000001', time: 1773480413000 },
  })
  payload!: unknown;

  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) receivedAt!: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a replay applied it',
    example: null,
  })
  appliedAt!: Date | null;

  static from(event: UnroutableEvent): UnroutableEventResponseDto {
    return Object.assign(new UnroutableEventResponseDto(), {
      id: event.id,
      entryId: event.entryId,
      reason: event.reason,
      routeAccountId: event.routeAccountId,
      deliveryId: event.deliveryId,
      itemKey: event.itemKey,
      payload: event.payload,
      receivedAt: event.receivedAt,
      appliedAt: event.appliedAt,
    });
  }
}

export class UnroutableEventPageDto {
  @ApiProperty({ type: [UnroutableEventResponseDto] }) items!: UnroutableEventResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;

  static from(page: Page<UnroutableEvent>): UnroutableEventPageDto {
    return mapPage(page, (event) => UnroutableEventResponseDto.from(event));
  }
}

export class ReplayCountsResponseDto {
  @ApiProperty({
    type: 'integer',
    description: 'entries applied, with at least one event the account lacked',
    example: 3,
  })
  applied!: number;

  @ApiProperty({ type: 'integer', description: 'entries applied whose events were all stored already', example: 0 })
  alreadyPresent!: number;

  @ApiProperty({
    type: 'integer',
    description: 'entries left kept: their delivery does not verify with the account’s own app secret',
    example: 0,
  })
  refusedBySignature!: number;

  static from(counts: ReplayCounts): ReplayCountsResponseDto {
    return Object.assign(new ReplayCountsResponseDto(), counts);
  }
}
