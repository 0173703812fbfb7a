// The ice breakers and persistent menu as the admin API takes and shows them. class-validator checks a
// field's rules in the order they are registered, which for applyDecorators is the order listed.
import { applyDecorators } from '@nestjs/common';
import {
  ApiProperty,
  ApiPropertyOptional,
  type ExamplesObject,
  getSchemaPath,
  type SchemaObject,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUrl,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CodePointLength, presence } from '@http';
import {
  ICE_BREAKER_QUESTION_MAX_LENGTH,
  type IceBreaker,
  MAX_ICE_BREAKERS,
  MAX_PERSISTENT_MENU_ITEMS,
  MENU_TITLE_MAX_LENGTH,
  type MessengerProfile,
  type PersistentMenuItem,
} from '../messenger-profile';
import type { MessengerProfileChanges } from '../messenger-profile.service';

const PAYLOAD_MAX_LENGTH = 1000;
const URL_MAX_LENGTH = 2000;
const MENU_ITEM_TYPES = ['postback', 'web_url'] as const;

function RequiredText(property: string, maxLength: number): PropertyDecorator {
  return applyDecorators(
    presence(false),
    IsString({ message: `${property} must be a string` }),
    IsNotEmpty({ message: `${property} must not be empty` }),
    CodePointLength(1, maxLength, { message: `${property} must be at most ${maxLength} characters` }),
  );
}

export class IceBreakerDto {
  @ApiProperty({ example: 'What are your opening hours?', maxLength: ICE_BREAKER_QUESTION_MAX_LENGTH })
  @RequiredText('question', ICE_BREAKER_QUESTION_MAX_LENGTH)
  question!: string;

  @ApiProperty({ example: 'HOURS', maxLength: PAYLOAD_MAX_LENGTH, description: 'comes back as a postback' })
  @RequiredText('payload', PAYLOAD_MAX_LENGTH)
  payload!: string;
}

export class PersistentMenuItemDto {
  @ApiProperty({
    enum: MENU_ITEM_TYPES,
    example: 'postback',
    description: '`postback` sends `payload`; `web_url` opens `url`',
  })
  @applyDecorators(
    presence(false),
    IsIn(MENU_ITEM_TYPES, { message: `type must be one of ${MENU_ITEM_TYPES.join(', ')}` }),
  )
  type!: (typeof MENU_ITEM_TYPES)[number];

  @ApiProperty({ example: 'Talk to us', maxLength: MENU_TITLE_MAX_LENGTH })
  @RequiredText('title', MENU_TITLE_MAX_LENGTH)
  title!: string;

  @ApiPropertyOptional({ example: 'TALK', maxLength: PAYLOAD_MAX_LENGTH, description: 'required for `postback`' })
  @applyDecorators(
    ValidateIf((item: PersistentMenuItemDto) => item.type === 'postback' || item.payload !== undefined),
    IsDefined({ message: 'payload is required for a postback item' }),
    IsString({ message: 'payload must be a string' }),
    IsNotEmpty({ message: 'payload must not be empty' }),
    CodePointLength(1, PAYLOAD_MAX_LENGTH, { message: `payload must be at most ${PAYLOAD_MAX_LENGTH} characters` }),
  )
  payload?: string;

  @ApiPropertyOptional({
    example: 'https://example.com/shop',
    maxLength: URL_MAX_LENGTH,
    description: 'an https URL; required for `web_url`',
  })
  @applyDecorators(
    ValidateIf((item: PersistentMenuItemDto) => item.type === 'web_url' || item.url !== undefined),
    IsDefined({ message: 'url is required for a web_url item' }),
    IsString({ message: 'url must be a string' }),
    CodePointLength(1, URL_MAX_LENGTH, { message: `url must be at most ${URL_MAX_LENGTH} characters` }),
    IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'url must be an https URL' }),
  )
  url?: string;
}

function NestedList(property: string, max: number, itemType: () => new () => object): PropertyDecorator {
  return applyDecorators(
    ValidateIf((body: object) => (body as Record<string, unknown>)[property] !== undefined),
    IsArray({ message: `${property} must be a list` }),
    ArrayMaxSize(max, { message: `${property} must hold at most ${max} items` }),
    IsObject({ each: true, message: `each of ${property} must be an object` }),
    ValidateNested({ each: true }),
    Type(itemType),
  );
}

/** Any of the two; a field left out stays as it is, an empty list removes it. */
export class UpdateMessengerProfileDto {
  @ApiPropertyOptional({ type: [IceBreakerDto], maxItems: MAX_ICE_BREAKERS })
  @NestedList('iceBreakers', MAX_ICE_BREAKERS, () => IceBreakerDto)
  iceBreakers?: IceBreakerDto[];

  @ApiPropertyOptional({ type: [PersistentMenuItemDto], maxItems: MAX_PERSISTENT_MENU_ITEMS })
  @NestedList('persistentMenu', MAX_PERSISTENT_MENU_ITEMS, () => PersistentMenuItemDto)
  persistentMenu?: PersistentMenuItemDto[];

  toChanges(): MessengerProfileChanges {
    return {
      ...(this.iceBreakers && {
        iceBreakers: this.iceBreakers.map(({ question, payload }): IceBreaker => ({ question, payload })),
      }),
      ...(this.persistentMenu && { persistentMenu: this.persistentMenu.map(menuItemOf) }),
    };
  }
}

function menuItemOf(item: PersistentMenuItemDto): PersistentMenuItem {
  return item.type === 'postback'
    ? { type: 'postback', title: item.title, payload: item.payload ?? '' }
    : { type: 'web_url', title: item.title, url: item.url ?? '' };
}

/** A schema that a body with this property matches. */
const given = (property: string): SchemaObject => ({
  type: 'object',
  properties: { [property]: { type: 'array' } },
  additionalProperties: true,
  required: [property],
});

/**
 * The body as the document states it: the ice breakers, the menu, or both; the three shapes exclude each
 * other, so that a body matches exactly one of them.
 */
export const UPDATE_MESSENGER_PROFILE_BODY: SchemaObject = {
  oneOf: [
    { required: ['iceBreakers'], not: given('persistentMenu') },
    { required: ['persistentMenu'], not: given('iceBreakers') },
    { required: ['iceBreakers', 'persistentMenu'] },
  ].map((shape) => ({ allOf: [{ $ref: getSchemaPath(UpdateMessengerProfileDto) }], ...shape })),
};

export const UPDATE_MESSENGER_PROFILE_EXAMPLES: ExamplesObject = {
  iceBreakers: {
    summary: 'questions for people who open the chat for the first time',
    value: { iceBreakers: [{ question: 'What are your opening hours?', payload: 'HOURS' }] },
  },
  both: {
    summary: 'ice breakers and a menu',
    value: {
      iceBreakers: [{ question: 'Do you ship abroad?', payload: 'SHIPPING' }],
      persistentMenu: [
        { type: 'postback', title: 'Talk to us', payload: 'TALK' },
        { type: 'web_url', title: 'Shop', url: 'https://example.com/shop' },
      ],
    },
  },
  removeMenu: { summary: 'remove the menu, keep the ice breakers', value: { persistentMenu: [] } },
};

export class MessengerProfileResponseDto {
  @ApiProperty({ type: [IceBreakerDto] }) iceBreakers!: IceBreakerDto[];
  @ApiProperty({ type: [PersistentMenuItemDto] }) persistentMenu!: PersistentMenuItemDto[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it was last set on Meta; null when never',
    example: '2026-03-14T09:26:53.589Z',
  })
  updatedAt!: Date | null;

  static from(profile: MessengerProfile): MessengerProfileResponseDto {
    return Object.assign(new MessengerProfileResponseDto(), {
      iceBreakers: profile.iceBreakers.map(({ question, payload }) => ({ question, payload })),
      persistentMenu: profile.persistentMenu.map((item) => ({ ...item })),
      updatedAt: profile.updatedAt,
    });
  }
}
