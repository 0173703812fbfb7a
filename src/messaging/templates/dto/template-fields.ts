// The validation and documentation of message templates, written once for POST (required) and PUT
// (optional), and the nested quick replies, cards and buttons that both share.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  MAX_ELEMENT_BUTTONS,
  MAX_QUICK_REPLIES,
  MAX_TEMPLATE_ELEMENTS,
  QUICK_REPLY_TITLE_MAX_LENGTH,
} from '../message-template';

const NAME_MAX_LENGTH = 100;
/** Long texts are split into several messages of at most 1000 bytes each. */
export const TEMPLATE_TEXT_MAX_LENGTH = 10_000;
const PAYLOAD_MAX_LENGTH = 1000;
/** Meta's limits for a card of a generic template and its buttons. */
const ELEMENT_TITLE_MAX_LENGTH = 80;
const BUTTON_TITLE_MAX_LENGTH = 20;
const URL_MAX_LENGTH = 2000;
const BUTTON_TYPES = ['web_url', 'postback'] as const;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const webUrl = (property: string) =>
  IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: `${property} must be an http(s) URL` });

export class QuickReplyDto {
  @ApiProperty({ example: 'Opening hours', maxLength: QUICK_REPLY_TITLE_MAX_LENGTH })
  @IsString({ message: 'title must be a string' })
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(QUICK_REPLY_TITLE_MAX_LENGTH, {
    message: `title must be at most ${QUICK_REPLY_TITLE_MAX_LENGTH} characters`,
  })
  title!: string;

  @ApiProperty({ example: 'HOURS', description: 'sent back in the webhook when the person taps it' })
  @IsString({ message: 'payload must be a string' })
  @IsNotEmpty({ message: 'payload must not be empty' })
  @MaxLength(PAYLOAD_MAX_LENGTH, { message: `payload must be at most ${PAYLOAD_MAX_LENGTH} characters` })
  payload!: string;
}

export class TemplateButtonDto {
  @ApiProperty({ enum: BUTTON_TYPES, description: '`web_url` opens `url`; `postback` sends `payload` back' })
  @IsIn(BUTTON_TYPES, { message: `type must be one of ${BUTTON_TYPES.join(', ')}` })
  type!: (typeof BUTTON_TYPES)[number];

  @ApiProperty({ example: 'View', maxLength: BUTTON_TITLE_MAX_LENGTH })
  @IsString({ message: 'title must be a string' })
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(BUTTON_TITLE_MAX_LENGTH, { message: `title must be at most ${BUTTON_TITLE_MAX_LENGTH} characters` })
  title!: string;

  @ApiPropertyOptional({ example: 'https://example.com/products/jacket', description: 'for `web_url` buttons' })
  @ValidateIf((button: TemplateButtonDto) => button.type === 'web_url' || button.url !== undefined)
  @IsString({ message: 'url is required for a web_url button' })
  @MaxLength(URL_MAX_LENGTH)
  @webUrl('url')
  url?: string;

  @ApiPropertyOptional({ example: 'ASK_JACKET', description: 'for `postback` buttons' })
  @ValidateIf((button: TemplateButtonDto) => button.type === 'postback' || button.payload !== undefined)
  @IsString({ message: 'payload is required for a postback button' })
  @IsNotEmpty({ message: 'payload must not be empty' })
  @MaxLength(PAYLOAD_MAX_LENGTH, { message: `payload must be at most ${PAYLOAD_MAX_LENGTH} characters` })
  payload?: string;
}

export class TemplateElementDto {
  @ApiProperty({ example: 'Spring jacket', maxLength: ELEMENT_TITLE_MAX_LENGTH })
  @IsString({ message: 'title must be a string' })
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(ELEMENT_TITLE_MAX_LENGTH, { message: `title must be at most ${ELEMENT_TITLE_MAX_LENGTH} characters` })
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Available in 3 colours' })
  @IsOptional()
  @IsString({ message: 'subtitle must be a string' })
  @MaxLength(ELEMENT_TITLE_MAX_LENGTH, {
    message: `subtitle must be at most ${ELEMENT_TITLE_MAX_LENGTH} characters`,
  })
  subtitle?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://example.com/images/jacket.jpg' })
  @IsOptional()
  @MaxLength(URL_MAX_LENGTH)
  @webUrl('imageUrl')
  imageUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://example.com/products/jacket',
    description: 'opened when the card itself is tapped',
  })
  @IsOptional()
  @MaxLength(URL_MAX_LENGTH)
  @webUrl('defaultActionUrl')
  defaultActionUrl?: string | null;

  @ApiPropertyOptional({ type: [TemplateButtonDto], maxItems: MAX_ELEMENT_BUTTONS })
  @IsOptional()
  @IsArray({ message: 'buttons must be a list' })
  @ArrayMaxSize(MAX_ELEMENT_BUTTONS, { message: `a card has at most ${MAX_ELEMENT_BUTTONS} buttons` })
  @ValidateNested({ each: true })
  @Type(() => TemplateButtonDto)
  buttons?: TemplateButtonDto[] | null;
}

interface FieldOptions {
  /** PUT: the field may be left out (but not sent as null). */
  optional?: boolean;
}

/** Leaving a field out of a PUT keeps it; null is only meaningful where a field can be cleared. */
const leftOut = (property: string) => (body: object) => (body as Record<string, unknown>)[property] !== undefined;

export function TemplateNameField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      example: 'order_shipped',
      maxLength: NAME_MAX_LENGTH,
      required: !optional,
      description: 'unique in the account, ignoring case',
    }),
    ...(optional ? [ValidateIf(leftOut('name'))] : []),
    Transform(trimmed),
    IsString({ message: 'name must be a string' }),
    IsNotEmpty({ message: 'name must not be empty' }),
    MaxLength(NAME_MAX_LENGTH, { message: `name must be at most ${NAME_MAX_LENGTH} characters` }),
  );
}

export function TemplateTextField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      example: 'Hi {{name}}, your order {{order}} is on its way.',
      maxLength: TEMPLATE_TEXT_MAX_LENGTH,
      required: !optional,
      description: '`{{param}}` placeholders are filled when sending; a text over 1000 bytes is sent in parts',
    }),
    ...(optional ? [ValidateIf(leftOut('text'))] : []),
    IsString({ message: 'text must be a string' }),
    IsNotEmpty({ message: 'text must not be empty' }),
    MaxLength(TEMPLATE_TEXT_MAX_LENGTH, { message: `text must be at most ${TEMPLATE_TEXT_MAX_LENGTH} characters` }),
  );
}

export function QuickRepliesField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [QuickReplyDto],
      nullable: true,
      maxItems: MAX_QUICK_REPLIES,
      description: 'buttons under the (last part of the) message; null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'quickReplies must be a list' }),
    ArrayMaxSize(MAX_QUICK_REPLIES, { message: `quickReplies must hold at most ${MAX_QUICK_REPLIES} replies` }),
    ValidateNested({ each: true }),
    Type(() => QuickReplyDto),
  );
}

export function ElementsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [TemplateElementDto],
      nullable: true,
      maxItems: MAX_TEMPLATE_ELEMENTS,
      description: 'cards of a generic template, sent after the text; null removes them',
    }),
    IsOptional(),
    IsArray({ message: 'elements must be a list' }),
    ArrayMinSize(1, { message: 'elements must hold at least one card (or be left out)' }),
    ArrayMaxSize(MAX_TEMPLATE_ELEMENTS, { message: `elements must hold at most ${MAX_TEMPLATE_ELEMENTS} cards` }),
    ValidateNested({ each: true }),
    Type(() => TemplateElementDto),
  );
}
