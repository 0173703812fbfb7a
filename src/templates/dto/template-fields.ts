// The validation and documentation of message templates, written once for POST (required) and PUT
// (optional), and the nested quick replies, cards and buttons that both share. class-validator checks
// a field's rules in the order they are registered, which for applyDecorators is the order listed.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { presence, FitsJsonTextColumn, CodePointLength } from '@http';
import { MEDIA_TYPES, type MediaType } from '@graph-api';
import {
  MAX_ELEMENT_BUTTONS,
  MAX_TEMPLATE_ATTACHMENTS,
  MAX_TEMPLATE_BUTTONS,
  MAX_QUICK_REPLIES,
  MAX_TEMPLATE_ELEMENTS,
  QUICK_REPLY_TITLE_MAX_LENGTH,
} from '../message-template';
import { elementsOf } from './stored-template-parts';

/** The column's length (`VARCHAR(100)`). */
export const TEMPLATE_NAME_MAX_LENGTH = 100;
/** Long texts are split into several messages of at most 1000 bytes each. */
export const TEMPLATE_TEXT_MAX_LENGTH = 10_000;
const PAYLOAD_MAX_LENGTH = 1000;
/** Meta's limits for a card of a generic template and its buttons. */
const ELEMENT_TITLE_MAX_LENGTH = 80;
const BUTTON_TITLE_MAX_LENGTH = 20;
const URL_MAX_LENGTH = 2000;
const BUTTON_TYPES = ['web_url', 'postback'] as const;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A required text of a nested item: "title is required" when it is missing, then its type and length. */
function NestedText(property: string, maxLength: number): PropertyDecorator {
  return applyDecorators(
    presence(false),
    IsString({ message: `${property} must be a string` }),
    IsNotEmpty({ message: `${property} must not be empty` }),
    CodePointLength(1, maxLength, { message: `${property} must be at most ${maxLength} characters` }),
  );
}

/** An http(s) URL. */
function WebUrl(property: string): PropertyDecorator {
  return applyDecorators(
    IsString({ message: `${property} must be a string` }),
    CodePointLength(1, URL_MAX_LENGTH, { message: `${property} must be at most ${URL_MAX_LENGTH} characters` }),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: `${property} must be an http(s) URL` }),
  );
}

/** Checked when the button is of `type` or the field is given anyway; then it is required. */
function RequiredForButtonType(type: (typeof BUTTON_TYPES)[number], property: 'url' | 'payload'): PropertyDecorator {
  return applyDecorators(
    ValidateIf((button: TemplateButtonDto) => button.type === type || button[property] !== undefined),
    IsDefined({ message: `${property} is required for a ${type} button` }),
  );
}

/** A list of nested items: each one an object (not a list, not null), checked by its own class. */
function NestedItems(property: string, itemType: () => new () => object, what: string): PropertyDecorator {
  return applyDecorators(
    IsObject({ each: true, message: `each of ${property} must be an object with ${what}` }),
    ValidateNested({ each: true }),
    Type(itemType),
  );
}

/** Media that Meta fetches by URL when it sends the message; only https, as Meta requires. */
export class MediaAttachmentDto {
  @ApiProperty({ enum: MEDIA_TYPES, example: 'image', description: 'what Meta is to send the file as' })
  @applyDecorators(presence(false), IsIn(MEDIA_TYPES, { message: `type must be one of ${MEDIA_TYPES.join(', ')}` }))
  type!: MediaType;

  @ApiProperty({
    maxLength: URL_MAX_LENGTH,
    example: 'https://example.com/images/catalog.jpg',
    description: 'an https URL Meta can fetch (images up to 8 MB, audio and video up to 25 MB)',
  })
  @applyDecorators(
    presence(false),
    IsString({ message: 'url must be a string' }),
    CodePointLength(1, URL_MAX_LENGTH, { message: `url must be at most ${URL_MAX_LENGTH} characters` }),
    IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'url must be an https URL' }),
  )
  url!: string;
}

export class QuickReplyDto {
  @ApiProperty({ example: 'Opening hours', minLength: 1, maxLength: QUICK_REPLY_TITLE_MAX_LENGTH })
  @NestedText('title', QUICK_REPLY_TITLE_MAX_LENGTH)
  title!: string;

  @ApiProperty({
    example: 'HOURS',
    minLength: 1,
    maxLength: PAYLOAD_MAX_LENGTH,
    description: 'sent back in the webhook when the person taps it',
  })
  @NestedText('payload', PAYLOAD_MAX_LENGTH)
  payload!: string;
}

export class TemplateButtonDto {
  @ApiProperty({
    enum: BUTTON_TYPES,
    description: '`web_url` opens `url`; `postback` sends `payload` back',
    example: 'web_url',
  })
  @applyDecorators(presence(false), IsIn(BUTTON_TYPES, { message: `type must be one of ${BUTTON_TYPES.join(', ')}` }))
  type!: (typeof BUTTON_TYPES)[number];

  @ApiProperty({ example: 'View', minLength: 1, maxLength: BUTTON_TITLE_MAX_LENGTH })
  @NestedText('title', BUTTON_TITLE_MAX_LENGTH)
  title!: string;

  @ApiPropertyOptional({
    maxLength: URL_MAX_LENGTH,
    example: 'https://example.com/products/jacket',
    description: 'an http(s) URL; required for `web_url` buttons',
  })
  @applyDecorators(RequiredForButtonType('web_url', 'url'), WebUrl('url'))
  url?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: PAYLOAD_MAX_LENGTH,
    example: 'ASK_JACKET',
    description: 'required for `postback` buttons',
  })
  @applyDecorators(
    RequiredForButtonType('postback', 'payload'),
    IsString({ message: 'payload must be a string' }),
    IsNotEmpty({ message: 'payload must not be empty' }),
    CodePointLength(1, PAYLOAD_MAX_LENGTH, { message: `payload must be at most ${PAYLOAD_MAX_LENGTH} characters` }),
  )
  payload?: string;
}

export class TemplateElementDto {
  @ApiProperty({ example: 'Spring jacket', minLength: 1, maxLength: ELEMENT_TITLE_MAX_LENGTH })
  @NestedText('title', ELEMENT_TITLE_MAX_LENGTH)
  title!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: ELEMENT_TITLE_MAX_LENGTH,
    example: 'Available in 3 colours',
  })
  @applyDecorators(
    IsOptional(),
    IsString({ message: 'subtitle must be a string' }),
    CodePointLength(0, ELEMENT_TITLE_MAX_LENGTH, {
      message: `subtitle must be at most ${ELEMENT_TITLE_MAX_LENGTH} characters`,
    }),
  )
  subtitle?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: URL_MAX_LENGTH,
    description: 'an http(s) URL',
    example: 'https://example.com/images/jacket.jpg',
  })
  @applyDecorators(IsOptional(), WebUrl('imageUrl'))
  imageUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: URL_MAX_LENGTH,
    example: 'https://example.com/products/jacket',
    description: 'an http(s) URL, opened when the card itself is tapped',
  })
  @applyDecorators(IsOptional(), WebUrl('defaultActionUrl'))
  defaultActionUrl?: string | null;

  @ApiPropertyOptional({ type: [TemplateButtonDto], maxItems: MAX_ELEMENT_BUTTONS })
  @applyDecorators(
    IsOptional(),
    IsArray({ message: 'buttons must be a list' }),
    ArrayMaxSize(MAX_ELEMENT_BUTTONS, { message: `a card has at most ${MAX_ELEMENT_BUTTONS} buttons` }),
    NestedItems('buttons', () => TemplateButtonDto, 'type and title'),
  )
  buttons?: TemplateButtonDto[] | null;
}

interface FieldOptions {
  /** PUT: the field may be left out (but not sent as null). */
  optional?: boolean;
}

export function TemplateNameField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      example: 'order_shipped',
      minLength: 1,
      maxLength: TEMPLATE_NAME_MAX_LENGTH,
      required: !optional,
      description: 'unique in the account, ignoring case',
    }),
    Transform(trimmed),
    presence(optional),
    IsString({ message: 'name must be a string' }),
    IsNotEmpty({ message: 'name must not be empty' }),
    CodePointLength(1, TEMPLATE_NAME_MAX_LENGTH, {
      message: `name must be at most ${TEMPLATE_NAME_MAX_LENGTH} characters`,
    }),
  );
}

export function TemplateTextField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      example: 'Hi {{name}}, your order {{order}} is on its way.',
      minLength: 1,
      maxLength: TEMPLATE_TEXT_MAX_LENGTH,
      required: !optional,
      description: '`{{param}}` placeholders are filled when sending; a text over 1000 bytes is sent in parts',
    }),
    presence(optional),
    IsString({ message: 'text must be a string' }),
    IsNotEmpty({ message: 'text must not be empty' }),
    CodePointLength(1, TEMPLATE_TEXT_MAX_LENGTH, {
      message: `text must be at most ${TEMPLATE_TEXT_MAX_LENGTH} characters`,
    }),
  );
}

export function QuickRepliesField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [QuickReplyDto],
      nullable: true,
      maxItems: MAX_QUICK_REPLIES,
      example: [{ title: 'Opening hours', payload: 'HOURS' }],
      description: 'buttons under the (last part of the) message; null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'quickReplies must be a list' }),
    ArrayMaxSize(MAX_QUICK_REPLIES, { message: `quickReplies must hold at most ${MAX_QUICK_REPLIES} replies` }),
    NestedItems('quickReplies', () => QuickReplyDto, 'title and payload'),
    FitsJsonTextColumn({ message: 'quickReplies are too long together; use fewer or shorter payloads' }),
  );
}

export function ElementsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [TemplateElementDto],
      nullable: true,
      minItems: 1,
      maxItems: MAX_TEMPLATE_ELEMENTS,
      description: 'cards of a generic template, sent after the text; null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'elements must be a list' }),
    ArrayMinSize(1, { message: 'elements must hold at least one card (or be left out)' }),
    ArrayMaxSize(MAX_TEMPLATE_ELEMENTS, { message: `elements must hold at most ${MAX_TEMPLATE_ELEMENTS} cards` }),
    NestedItems('elements', () => TemplateElementDto, 'a title'),
    FitsJsonTextColumn({ message: 'elements are too long together; use fewer or shorter cards' }, elementsOf),
  );
}

export function ButtonsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [TemplateButtonDto],
      nullable: true,
      minItems: 1,
      maxItems: MAX_TEMPLATE_BUTTONS,
      example: [{ type: 'postback', title: 'Talk to us', payload: 'TALK' }],
      description:
        'buttons under the text, which is then sent as a button template (text of at most 640 characters); null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'buttons must be a list' }),
    ArrayMinSize(1, { message: 'buttons must hold at least one button (or be left out)' }),
    ArrayMaxSize(MAX_TEMPLATE_BUTTONS, { message: `a template has at most ${MAX_TEMPLATE_BUTTONS} buttons` }),
    NestedItems('buttons', () => TemplateButtonDto, 'type and title'),
  );
}

export function AttachmentsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [MediaAttachmentDto],
      nullable: true,
      maxItems: MAX_TEMPLATE_ATTACHMENTS,
      example: [{ type: 'image', url: 'https://example.com/images/catalog.jpg' }],
      description: 'media by https URL, each sent as a message of its own after the text; null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'attachments must be a list' }),
    ArrayMaxSize(MAX_TEMPLATE_ATTACHMENTS, {
      message: `attachments must hold at most ${MAX_TEMPLATE_ATTACHMENTS} items`,
    }),
    NestedItems('attachments', () => MediaAttachmentDto, 'type and url'),
  );
}
