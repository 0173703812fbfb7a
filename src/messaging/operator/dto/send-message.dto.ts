import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ExamplesObject, getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { CodePointLength, codePointLength } from '@http';
import { STICKERS, type Sticker } from '@graph-api';
import { MediaAttachmentDto, TEMPLATE_NAME_MAX_LENGTH, TEMPLATE_TEXT_MAX_LENGTH } from '@templates';
import { HUMAN_AGENT_TAG, type MessageTag } from '../../outbox/messaging-window';
import type { OperatorContent, OperatorMessage } from '../operator-messages.service';

const IGSID = /^\d{1,64}$/;
const USERNAME = /^@?[A-Za-z0-9._]{1,30}$/;
const PARAMETER_NAME = /^[\w.-]{1,100}$/;
const PARAMETER_VALUE_MAX_LENGTH = 2000;
const MAX_PARAMETERS = 100;

const MID_MAX_LENGTH = 255;

const present = (property: string) => (body: object) => (body as Record<string, unknown>)[property] !== undefined;

/** The alternatives of what a message says: exactly one of them is sent. */
const CONTENTS = ['text', 'templateName', 'attachment', 'sticker'] as const;
const noContentBut = (own: string) => (body: object) =>
  CONTENTS.every((content) => content === own || !present(content)(body));

/** Refuses the property when any of `others` is given too: they are alternatives. */
function NotTogetherWith(others: string | readonly string[], options: ValidationOptions): PropertyDecorator {
  const list = typeof others === 'string' ? [others] : others;
  return ValidateBy(
    {
      name: 'notTogetherWith',
      validator: { validate: (_value, args) => list.every((other) => !present(other)(args!.object)) },
    },
    options,
  );
}

/** Refuses the property unless `other` is given: it qualifies it. */
function OnlyWith(other: string, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'onlyWith', validator: { validate: (_value, args) => present(other)(args!.object) } },
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
 * `recipientId` or `recipientUsername`, and one of `text` (optionally quoting `replyToMid`), `templateName`
 * (+ `params`), `attachment` or `sticker`; `tag` only for a late human reply. class-validator checks a field's rules in the order they are registered, which for
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
    ValidateIf((body: SendMessageDto) => body.text !== undefined || noContentBut('text')(body)),
    IsDefined({ message: 'text, templateName, attachment or sticker is required' }),
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
    NotTogetherWith(['text', 'attachment', 'sticker'], { message: 'params go with templateName only' }),
    IsTemplateParameters({ message: 'params must map placeholder names to strings' }),
  )
  params?: Record<string, string>;

  @ApiPropertyOptional({
    type: MediaAttachmentDto,
    description: 'an image, video, audio or file by https URL, instead of text (Meta fetches it when sending)',
    example: { type: 'image', url: 'https://example.com/images/catalog.jpg' },
  })
  @applyDecorators(
    ValidateIf(present('attachment')),
    NotTogetherWith(['text', 'templateName'], { message: 'give attachment alone, not with text or templateName' }),
    IsObject({ message: 'attachment must be an object with type and url' }),
    ValidateNested(),
    Type(() => MediaAttachmentDto),
  )
  attachment?: MediaAttachmentDto;

  @ApiPropertyOptional({ enum: STICKERS, example: 'like_heart', description: 'a sticker, instead of text' })
  @applyDecorators(
    ValidateIf(present('sticker')),
    NotTogetherWith(['text', 'templateName', 'attachment'], {
      message: 'give sticker alone, not with text, templateName or attachment',
    }),
    IsIn(STICKERS, { message: `sticker must be ${STICKERS.join(' or ')}` }),
  )
  sticker?: Sticker;

  @ApiPropertyOptional({
    type: String,
    maxLength: MID_MAX_LENGTH,
    example: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAx',
    description: 'quote-reply to this message of the conversation (its `mid`); only with text',
  })
  @applyDecorators(
    ValidateIf(present('replyToMid')),
    OnlyWith('text', { message: 'replyToMid goes with text' }),
    IsString({ message: 'replyToMid must be a string' }),
    IsNotEmpty({ message: 'replyToMid must not be empty' }),
    MaxLength(MID_MAX_LENGTH, { message: `replyToMid must be at most ${MID_MAX_LENGTH} characters` }),
  )
  replyToMid?: string;

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
      content: this.content(),
      tag: this.tag ?? null,
    };
  }

  private content(): OperatorContent {
    if (this.templateName !== undefined) return { templateName: this.templateName, params: this.params ?? {} };
    if (this.attachment !== undefined) return { attachment: { type: this.attachment.type, url: this.attachment.url } };
    if (this.sticker !== undefined) return { sticker: this.sticker };
    return { text: this.text ?? '', replyToMid: this.replyToMid ?? null };
  }
}

/**
 * The body as the OpenAPI document states it: exactly one recipient and
 * exactly one content, so that a generated client cannot send `{}`. A body
 * with both of a pair matches two shapes, which `oneOf` refuses, as the server does.
 */
export const SEND_MESSAGE_BODY: SchemaObject = {
  oneOf: ['recipientId', 'recipientUsername'].flatMap((recipient) =>
    CONTENTS.map((content) => ({ allOf: [{ $ref: getSchemaPath(SendMessageDto) }], required: [recipient, content] })),
  ),
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
  quoteReply: {
    summary: 'a text that quotes the customer’s message',
    value: {
      recipientId: '1029384756102938',
      text: 'Yes, in blue too.',
      replyToMid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAx',
    },
  },
  image: {
    summary: 'a photo by URL',
    value: {
      recipientId: '1029384756102938',
      attachment: { type: 'image', url: 'https://example.com/images/catalog.jpg' },
    },
  },
  file: {
    summary: 'a PDF price list',
    value: { recipientId: '1029384756102938', attachment: { type: 'file', url: 'https://example.com/prices.pdf' } },
  },
  sticker: { summary: 'a heart', value: { recipientId: '1029384756102938', sticker: 'like_heart' } },
  lateHumanReply: {
    summary: 'a person’s reply after the 24-hour window',
    value: { recipientId: '1029384756102938', text: 'Sorry for the wait: it ships today.', tag: 'HUMAN_AGENT' },
  },
};
