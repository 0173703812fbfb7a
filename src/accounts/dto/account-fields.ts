// The validation and documentation of each writable account field, written once for POST (required),
// PUT (optional) and the CLI, which validates its input with the same DTOs.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LOGIN_TYPES } from '@graph-api';
import { presence, CodePointLength, Utf8ByteLength } from '@http';
import { normalizeUsername } from '../account';

interface FieldOptions {
  /** PUT: the field may be left out (but not sent as null, unless it is nullable). */
  optional?: boolean;
}

const USERNAME = /^[a-z0-9._]{1,30}$/;
/** What `USERNAME` accepts before normalisation: spaces around it, a leading @, capitals. */
const USERNAME_AS_SENT = /^\s*@?[A-Za-z0-9._]{1,30}\s*$/;
const IG_USER_ID = /^[0-9]{1,32}$/;
const PAGE_ID = /^[0-9]{1,32}$/;
export const DISPLAY_NAME_MAX_LENGTH = 100;
export const FALLBACK_RESPONSE_MAX_BYTES = 1000;
/** Credentials are single tokens: whitespace is a copy-and-paste accident, not part of them. */
const NO_WHITESPACE = /^\S+$/;

export function UsernameField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: !optional,
      type: String,
      description:
        "Instagram username: letters, digits, '.' and '_', up to 30; a leading @ is dropped, kept lower-case",
      pattern: USERNAME_AS_SENT.source,
      example: 'ser_bain',
    }),
    Transform(({ value }) => (typeof value === 'string' ? normalizeUsername(value) : value)),
    presence(optional),
    IsString({ message: '$property must be a string' }),
    Matches(USERNAME, { message: "$property must be 1 to 30 letters, digits, '.' or '_'" }),
  );
}

export function IgUserIdField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: !optional,
      type: String,
      description:
        'the Instagram professional account’s id, what webhooks carry as `entry[].id`: the `user_id` of `GET /me?fields=user_id,username` (Instagram Login), or the `instagram_business_account` of the Page (Facebook Login)',
      pattern: IG_USER_ID.source,
      example: '17841400000000001',
    }),
    presence(optional),
    IsString({ message: '$property must be a string of digits (a JSON number would lose precision)' }),
    Matches(IG_USER_ID, { message: '$property must be 1 to 32 digits' }),
  );
}

export function LoginTypeField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      enum: LOGIN_TYPES,
      required: false,
      description:
        '`instagram`: Instagram Login, an Instagram user token (graph.instagram.com); `facebook`: Facebook Login, the access token of the Facebook Page linked to the Instagram account (graph.facebook.com), which then needs `pageId`. An account is created with `instagram` unless told otherwise',
      example: 'instagram',
    }),
    presence(true),
    IsIn(LOGIN_TYPES, { message: `$property must be one of ${LOGIN_TYPES.join(', ')}` }),
  );
}

export function PageIdField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      description:
        'the id of the Facebook Page linked to the Instagram account (digits, e.g. `102938475610293`): required for `loginType: facebook`, null otherwise',
      pattern: PAGE_ID.source,
      example: null,
    }),
    IsOptional(),
    IsString({ message: '$property must be a string of digits (a JSON number would lose precision)' }),
    Matches(PAGE_ID, { message: '$property must be 1 to 32 digits' }),
  );
}

/** Made-up credentials of the shapes Meta issues, for the document's examples. */
export const EXAMPLE_CREDENTIALS = {
  accessToken: 'IGAAExampleLongLivedAccessToken0123456789abcdefghijklmnopqrstuvwxyz',
  appSecret: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  verifyToken: 'my-verify-token-7f3a9c',
} as const;

export function CredentialField(
  maxLength: number,
  description: string,
  example: string,
  { optional = false, minLength = 1 }: FieldOptions & { minLength?: number } = {},
): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: !optional,
      description,
      writeOnly: true,
      format: 'password',
      minLength,
      maxLength,
      pattern: NO_WHITESPACE.source,
      example,
    }),
    presence(optional),
    IsString({ message: '$property must be a string' }),
    CodePointLength(minLength, maxLength, { message: `$property must be ${minLength} to ${maxLength} characters` }),
    Matches(NO_WHITESPACE, { message: '$property must not contain spaces or line breaks' }),
  );
}

export function DisplayNameField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      description: 'a name for operators; null clears it',
      minLength: 1,
      maxLength: DISPLAY_NAME_MAX_LENGTH,
      example: 'Ser Bain Coffee',
    }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, DISPLAY_NAME_MAX_LENGTH, {
      message: `$property must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters`,
    }),
  );
}

export function FallbackResponseField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      description: "the reply when no rule matches (at most 1000 bytes of UTF-8, Meta's limit); null: no reply",
      minLength: 1,
      maxLength: FALLBACK_RESPONSE_MAX_BYTES,
      example: 'Thanks for your message! We will get back to you soon.',
    }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    Utf8ByteLength(1, FALLBACK_RESPONSE_MAX_BYTES, {
      message: `$property must be 1 to ${FALLBACK_RESPONSE_MAX_BYTES} bytes of UTF-8`,
    }),
  );
}

export const AUTO_REPLY_LIMIT_MAX = 1000;
export const AUTO_REPLY_LIMIT_MINUTES_MAX = 1440;

/** A whole number from 1 to `max`, or null for the product's default. */
export function AutoReplyLimitField(max: number, description: string, example: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', required: false, nullable: true, minimum: 1, maximum: max, description, example }),
    IsOptional(),
    IsInt({ message: '$property must be a whole number' }),
    Min(1, { message: `$property must be from 1 to ${max}` }),
    Max(max, { message: `$property must be from 1 to ${max}` }),
  );
}

export function IsActiveField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: Boolean,
      required: false,
      description: 'false deactivates (as DELETE does); true reactivates',
      example: true,
    }),
    presence(true),
    IsBoolean({ message: '$property must be true or false' }),
  );
}
