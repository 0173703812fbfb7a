import { ApiProperty } from '@nestjs/swagger';
import { NextCursorProperty } from '@http';
import { DELIVERY_STATUSES, type DeliveryStatus, type EventDelivery } from '../event-delivery';
import type { EventEndpoint } from '../event-endpoint';
import { ALL_EVENTS, EVENT_TYPES, type EventSelection, type EventType, TEST_EVENT_TYPE } from '../event-types';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_URL } from './event-endpoint-fields';

const EXAMPLE_TIME = '2026-12-08T09:26:53.589Z';
const EXAMPLE_ID = '019af5c1-2b3c-7d4e-8f5a-6b7c8d9e0f1a';
const EXAMPLE_EVENT_ID = '019af5c1-4d5e-7f6a-8b7c-8d9e0f1a2b3c';

/** An endpoint as the admin API shows it: a whitelist of fields, never its secret. */
export class EventEndpointResponseDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID }) id!: string;
  @ApiProperty({ example: EXAMPLE_URL }) url!: string;
  @ApiProperty({ type: String, nullable: true, example: 'CRM: new messages and failed sends' })
  description!: string | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...EVENT_TYPES, ALL_EVENTS] },
    example: ['message.received', 'message.failed'],
  })
  events!: EventSelection;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'null: every account',
    example: [EXAMPLE_ACCOUNT_ID],
  })
  accountIds!: string[] | null;

  @ApiProperty({ description: 'whether it gets events', example: true }) enabled!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the service disabled it (no success for 24 hours); null otherwise',
    example: null,
  })
  disabledReason!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'after a rotation, until when the previous secret still signs beside the new one; null otherwise',
    example: null,
  })
  previousSecretValidUntil!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME })
  lastSuccessAt!: Date | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it first failed since its last success; null while it succeeds',
    example: null,
  })
  failingSince!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) updatedAt!: Date;

  static from(endpoint: EventEndpoint, now: Date): EventEndpointResponseDto {
    const rotating =
      endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt.getTime() > now.getTime();
    return Object.assign(new EventEndpointResponseDto(), {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      accountIds: endpoint.accountIds,
      enabled: endpoint.enabled,
      disabledReason: endpoint.disabledReason,
      previousSecretValidUntil: rotating ? endpoint.previousSecretExpiresAt : null,
      lastSuccessAt: endpoint.lastSuccessAt,
      failingSince: endpoint.failingSince,
      createdAt: endpoint.createdAt,
      updatedAt: endpoint.updatedAt,
    });
  }
}

/** The answer of create and rotate: the only ones that show the secret. */
export class EventEndpointWithSecretDto extends EventEndpointResponseDto {
  @ApiProperty({
    description: 'the signing secret (Standard Webhooks): shown in this answer only; keep it in your receiver',
    example: 'whsec_C2FtcGxlLXNlY3JldC1ub3QtcmVhbC0yNGI=',
  })
  secret!: string;

  static withSecret(endpoint: EventEndpoint, secret: string, now: Date): EventEndpointWithSecretDto {
    return Object.assign(new EventEndpointWithSecretDto(), EventEndpointResponseDto.from(endpoint, now), { secret });
  }
}

export class EventEndpointPageDto {
  @ApiProperty({ type: [EventEndpointResponseDto] }) items!: EventEndpointResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;
}

export class EventDeliveryResponseDto {
  @ApiProperty({ format: 'uuid', example: '019af5c1-5e6f-7a8b-9c0d-1e2f3a4b5c6d' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'the event’s id: the `webhook-id` header', example: EXAMPLE_EVENT_ID })
  eventId!: string;

  @ApiProperty({ enum: [...EVENT_TYPES, TEST_EVENT_TYPE], example: 'message.received' }) type!: EventType;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null for endpoint.test',
    example: EXAMPLE_ACCOUNT_ID,
  })
  accountId!: string | null;

  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' }) status!: DeliveryStatus;
  @ApiProperty({ type: 'integer', description: 'attempts made (since the last retry)', example: 1 }) attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME })
  lastAttemptAt!: Date | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'the endpoint’s answer to the last attempt',
    example: 200,
  })
  lastResponseStatus!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the last attempt failed: the status and the start of the answer, or what went wrong',
    example: null,
  })
  lastError!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'milliseconds the last attempt took', example: 42 })
  lastDurationMs!: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it is tried next; null once delivered or failed',
    example: null,
  })
  nextAttemptAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME }) deliveredAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', example: EXAMPLE_TIME }) createdAt!: Date;

  static from(delivery: EventDelivery): EventDeliveryResponseDto {
    const { id, eventId, type, accountId, status, attempts, lastAttemptAt, lastResponseStatus, lastError } = delivery;
    const { lastDurationMs, nextAttemptAt, deliveredAt, createdAt } = delivery;
    return Object.assign(new EventDeliveryResponseDto(), {
      id,
      eventId,
      type,
      accountId,
      status,
      attempts,
      lastAttemptAt,
      lastResponseStatus,
      lastError,
      lastDurationMs,
      nextAttemptAt,
      deliveredAt,
      createdAt,
    });
  }
}

export class EventDeliveryPageDto {
  @ApiProperty({ type: [EventDeliveryResponseDto] }) items!: EventDeliveryResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;
}

export class RetriedDeliveriesDto {
  @ApiProperty({ type: 'integer', description: 'failed deliveries put back to be tried again', example: 3 })
  retried!: number;
}
