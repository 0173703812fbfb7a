// The validation and documentation of an endpoint's writable fields, written once for POST (required where
// the SPEC says so) and PUT (optional). class-validator checks a field's rules in the order listed.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  ValidateBy,
} from 'class-validator';
import { ID_PATTERN } from '@common';
import { CodePointLength, presence } from '@http';
import { ALL_EVENTS, EVENT_TYPES } from '../event-types';

interface FieldOptions {
  /** PUT: the field may be left out, and keeps its value then. */
  optional?: boolean;
}

export const URL_MAX_LENGTH = 2000;
export const DESCRIPTION_MAX_LENGTH = 500;
export const MAX_ACCOUNT_IDS = 100;
const EVENT_NAMES = [...EVENT_TYPES, ALL_EVENTS];

export const EXAMPLE_URL = 'https://crm.example.com/webhooks/instagram-gateway';
export const EXAMPLE_ACCOUNT_ID = '019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d';

export function EndpointUrlField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: !optional,
      format: 'uri',
      maxLength: URL_MAX_LENGTH,
      description:
        'where events are POSTed: https, and not a private, loopback or link-local address (both allowed only with EVENT_ENDPOINTS_ALLOW_PRIVATE=true)',
      example: EXAMPLE_URL,
    }),
    presence(optional),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, URL_MAX_LENGTH, { message: `$property must be 1 to ${URL_MAX_LENGTH} characters` }),
  );
}

export function EventsField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', enum: EVENT_NAMES },
      required: !optional,
      minItems: 1,
      maxItems: EVENT_NAMES.length,
      uniqueItems: true,
      description: 'the events it gets, or `["*"]` for every event (those added later too)',
      example: ['message.received', 'message.failed'],
    }),
    presence(optional),
    IsArray({ message: '$property must be a list of event names' }),
    ArrayMinSize(1, { message: '$property must name at least one event' }),
    ArrayMaxSize(EVENT_NAMES.length, { message: `$property must hold at most ${EVENT_NAMES.length} names` }),
    IsIn(EVENT_NAMES, { each: true, message: `each of $property must be one of ${EVENT_NAMES.join(', ')}` }),
    ArrayUnique({ message: '$property must not name an event twice' }),
    ValidateBy({
      name: 'allEventsAlone',
      validator: {
        validate: (events: unknown) => !Array.isArray(events) || events.length === 1 || !events.includes(ALL_EVENTS),
        defaultMessage: () => `$property must be ["${ALL_EVENTS}"] alone, or names of events`,
      },
    }),
  );
}

export function AccountIdsField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      required: false,
      nullable: true,
      minItems: 1,
      maxItems: MAX_ACCOUNT_IDS,
      uniqueItems: true,
      description: `only events of these accounts (such as ["${EXAMPLE_ACCOUNT_ID}"]); left out or null: every account, those added later too`,
      example: null,
    }),
    IsOptional(),
    IsArray({ message: '$property must be a list of account ids' }),
    ArrayMinSize(1, { message: '$property must name at least one account; null (or left out) is every account' }),
    ArrayMaxSize(MAX_ACCOUNT_IDS, { message: `$property must hold at most ${MAX_ACCOUNT_IDS} ids` }),
    IsString({ each: true, message: 'each of $property must be an account id' }),
    Matches(ID_PATTERN, { each: true, message: 'each of $property must be an account id' }),
    ArrayUnique({ message: '$property must not name an account twice' }),
  );
}

export function DescriptionField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      minLength: 1,
      maxLength: DESCRIPTION_MAX_LENGTH,
      description: 'what it is, for operators; null clears it',
      example: 'CRM: new messages and failed sends',
    }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, DESCRIPTION_MAX_LENGTH, {
      message: `$property must be 1 to ${DESCRIPTION_MAX_LENGTH} characters`,
    }),
  );
}

export function EnabledField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: Boolean,
      required: false,
      description:
        'false: it gets no new events and its pending deliveries wait; true brings back an endpoint the service disabled (its failed deliveries can then be retried)',
      example: false,
    }),
    presence(true),
    IsBoolean({ message: '$property must be true or false' }),
  );
}
