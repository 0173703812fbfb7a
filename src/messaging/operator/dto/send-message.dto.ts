import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ExamplesObject, getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsString,
  Matches,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { CodePointLength, codePointLength } from '@http';
import { TEMPLATE_NAME_MAX_LENGTH, TEMPLATE_TEXT_MAX_LENGTH } from '@templates';
import { HUMAN_AGENT_TAG, type MessageTag } from '../../outbox/messaging-window';
import type { OperatorMessage } from '../operator-messages.service';

const IGSID = /^\d{1,64}$/;
const USERNAME = /^@?[A-Za-z0-9._]{1,30}$/;
const PARAMETER_NAME = /^[\w.-]{1,100}$/;
const PARAMETER_VALUE_MAX_LENGTH = 2000;
const MAX_PARAMETERS = 100;

const present = (property: string) => (body: object) => (body as Record<string, unknown>)[property] !== undefined;

/** Refuses the property when `other` is given too: the two are alternatives. */
function NotTogetherWith(other: string, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'notTogetherWith', validator: { validate: (_value, args) => !present(other)(args!.object) } },
    options,
  );
}

function IsTemplateParameters(options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTemplateParameters',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= MAX_PARAMETERS &&
          Object.entries(value).every(
            ([name, text]) =>
              PARAMETER_NAME.test(name) &&
              typeof text === 'string' &&
              codePointLength(text) <= PARAMETER_VALUE_MAX_LENGTH,
          ),
      },
    },
    options,
  );
}

/**
 * `recipientId` or `recipientUsername`, and `text` or `templateName` (+ `params`); `tag` only for a late
 * human reply. class-validator checks a field's rules in the order they are registered, which for
 * applyDecorators is the order listed: presence, then type, then the value.
 */
export class SendMessageDto {
  @ApiPropertyOptional({
    type: String,
    pattern: IGSID.source,
    example: '1029384756102938',
    description: 'the person’s IGSID (or give recipientUsername)',
  })
  @applyDecorators(
    ValidateIf((body: SendMessageDto) => body.recipientId !== undefined || body.recipientUsername === undefined),
    IsDefined({ message: 'recipientId or recipientUsername is required' }),
    IsString({ message: 'recipientId must be a string' }),
    Matches(IGSID, { message: 'recipientId must be an IGSID (digits)' }),
  )
  recipientId?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: USERNAME.source,
    example: 'synthetic_customer',
    description: 'a username from the account’s contacts: people who have messaged it (a leading @ is ignored)',
  })
  @applyDecorators(
    ValidateIf(present('recipientUsername')),
    NotTogetherWith('recipientId', { message: 'give recipientId or recipientUsername, not both' }),
    IsString({ message: 'recipientUsername must be a string' }),
    Matches(USERNAME, { message: "recipientUsername must be 1 to 30 letters, digits, '.' or '_'" }),
  )
  recipientUsername?: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: TEMPLATE_TEXT_MAX_LENGTH,
    description: 'the message; over 1000 bytes it is sent in parts, split between words',
    example: 'Your order has shipped.',
  })
  @applyDecorators(
    ValidateIf((body: SendMessageDto) => body.text !== undefined || body.templateName === undefined),
    IsDefined({ message: 'text or templateName is required' }),
    IsString({ message: 'text must be a string' }),
    IsNotEmpty({ message: 'text must not be empty' }),
    CodePointLength(1, TEMPLATE_TEXT_MAX_LENGTH, {
      message: `text must be at most ${TEMPLATE_TEXT_MAX_LENGTH} characters`,
    }),
  )
  text?: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: TEMPLATE_NAME_MAX_LENGTH,
    example: 'order_shipped',
    description: 'send one of the account’s templates instead of text',
  })
  @applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateIf(present('templateName')),
    NotTogetherWith('text', { message: 'give text or templateName, not both' }),
    IsString({ message: 'templateName must be a string' }),
    IsNotEmpty({ message: 'templateName must not be empty' }),
    CodePointLength(1, TEMPLATE_NAME_MAX_LENGTH, {
      message: `templateName must be at most ${TEMPLATE_NAME_MAX_LENGTH} characters`,
    }),
  )
  templateName?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: PARAMETER_VALUE_MAX_LENGTH },
    maxProperties: MAX_PARAMETERS,
    example: { name: 'Anna', order: '#1042' },
    description: 'values of the template’s {{placeholders}}',
  })
  @applyDecorators(
    ValidateIf(present('params')),
    NotTogetherWith('text', { message: 'params go with templateName, not with text' }),
    IsTemplateParameters({ message: 'params must map placeholder names to strings' }),
  )
  params?: Record<string, string>;

  @ApiPropertyOptional({
    enum: [HUMAN_AGENT_TAG],
    example: HUMAN_AGENT_TAG,
    description:
      'a message written by a person, after the 24-hour window and up to 7 days after the person’s last message',
  })
  @applyDecorators(ValidateIf(present('tag')), IsIn([HUMAN_AGENT_TAG], { message: `tag must be ${HUMAN_AGENT_TAG}` }))
  tag?: MessageTag;

  toOperatorMessage(): OperatorMessage {
    return {
      recipient:
        this.recipientUsername !== undefined ? { username: this.recipientUsername } : { igsid: this.recipientId ?? '' },
      content:
        this.templateName !== undefined
          ? { templateName: this.templateName, params: this.params ?? {} }
          : { text: this.text ?? '' },
      tag: this.tag ?? null,
    };
  }
}

/**
 * The body as the OpenAPI document states it: exactly one recipient and
 * exactly one content, so that a generated client cannot send `{}`. A body
 * with both of a pair matches two shapes, which `oneOf` refuses, as the server does.
 */
export const SEND_MESSAGE_BODY: SchemaObject = {
  oneOf: [
    ['recipientId', 'text'],
    ['recipientId', 'templateName'],
    ['recipientUsername', 'text'],
    ['recipientUsername', 'templateName'],
  ].map((required) => ({ allOf: [{ $ref: getSchemaPath(SendMessageDto) }], required })),
};

export const SEND_MESSAGE_EXAMPLES: ExamplesObject = {
  text: {
    summary: 'a text to a person by IGSID',
    value: { recipientId: '1029384756102938', text: 'Your order has shipped.' },
  },
  template: {
    summary: 'a template to a person by username',
    value: { recipientUsername: 'synthetic_customer', templateName: 'order_shipped', params: { order: '#1042' } },
  },
  lateHumanReply: {
    summary: 'a person’s reply after the 24-hour window',
    value: { recipientId: '1029384756102938', text: 'Sorry for the wait: it ships today.', tag: 'HUMAN_AGENT' },
  },
};
