import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { presence } from '@http';
import { BACKFILL_STATUSES, type BackfillJob, type BackfillStatus } from '../backfill-job';

const EXAMPLE_TIME = '2026-03-14T09:26:53.589Z';

export class StartBackfillDto {
  @ApiPropertyOptional({
    type: String,
    description:
      'the earliest message to recover: an ISO 8601 time (`2026-03-13T09:00:00Z`), or hours or days back ' +
      '(`24h`, `7d`); at most 30 days ago (default: 24 hours ago)',
    example: '24h',
  })
  @applyDecorators(presence(true), IsString({ message: '$property must be an ISO 8601 time' }))
  since?: string;
}

/** A backfill job and what it has done so far. */
export class BackfillJobResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d' }) accountId!: string;

  @ApiProperty({
    enum: BACKFILL_STATUSES,
    description: 'queued → running → completed, or failed (`error` says why)',
    example: 'running',
  })
  status!: BackfillStatus;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'messages from this time on are recovered',
    example: '2026-03-13T09:26:53.589Z',
  })
  since!: Date;

  @ApiProperty({ type: 'integer', description: 'conversations read so far', example: 12 })
  conversationsScanned!: number;

  @ApiProperty({ type: 'integer', description: 'messages stored that the database lacked', example: 3 })
  messagesAdded!: number;

  @ApiProperty({
    type: 'integer',
    description:
      'missing messages seen but not recovered: Meta gives the details of the 20 most recent messages of a conversation only',
    example: 0,
  })
  messagesUnavailable!: number;

  @ApiProperty({ type: String, nullable: true, description: 'why the job failed', example: null })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) updatedAt!: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it completed or failed',
    example: null,
  })
  finishedAt!: Date | null;

  static from(job: BackfillJob): BackfillJobResponseDto {
    return Object.assign(new BackfillJobResponseDto(), {
      id: job.id,
      accountId: job.accountId,
      status: job.status,
      since: job.since,
      conversationsScanned: job.conversationsScanned,
      messagesAdded: job.messagesAdded,
      messagesUnavailable: job.messagesUnavailable,
      error: job.error,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      finishedAt: job.finishedAt,
    });
  }
}
