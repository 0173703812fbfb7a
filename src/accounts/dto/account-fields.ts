// The validation and documentation of each writable account field, written once for POST (required),
// PUT (optional) and the CLI, which validates its input with the same DTOs.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { presence } from '../../common/validators/presence';
import { CodePointLength, Utf8ByteLength } from '../../common/validators/text-length';
import { normalizeUsername } from '../account';

interface FieldOptions {
  /** PUT: the field may be left out (but not sent as null, unless it is nullable). */
  optional?: boolean;
}

const USERNAME = /^[a-z0-9._]{1,30}$/;
/** Credentials are single tokens: whitespace is a copy-and-paste accident, not part of them. */
const NO_WHITESPACE = /^\S+$/;

export function UsernameField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: !optional,
      description:
        "Instagram username: letters, digits, '.' and '_', up to 30; a leading @ is dropped, kept lower-case",
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
      description: 'the `user_id` that `GET /me?fields=user_id,username` returns (what webhooks carry as `entry[].id`)',
      example: '17841400000000001',
    }),
    presence(optional),
    IsString({ message: '$property must be a string of digits (a JSON number would lose precision)' }),
    Matches(/^\d{1,32}$/, { message: '$property must be 1 to 32 digits' }),
  );
}

export function CredentialField(
  maxLength: number,
  description: string,
  { optional = false }: FieldOptions = {},
): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !optional, description, writeOnly: true, format: 'password', maxLength }),
    presence(optional),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, maxLength, { message: `$property must be 1 to ${maxLength} characters` }),
    Matches(NO_WHITESPACE, { message: '$property must not contain spaces or line breaks' }),
  );
}

export function DisplayNameField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      description: 'a name for operators; null clears it',
      maxLength: 100,
    }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, 100, { message: '$property must be 1 to 100 characters' }),
  );
}

export function FallbackResponseField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      description: "the reply when no rule matches (at most 1000 bytes of UTF-8, Meta's limit); null: no reply",
    }),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    Utf8ByteLength(1, 1000, { message: '$property must be 1 to 1000 bytes of UTF-8' }),
  );
}

export function IsActiveField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, description: 'false deactivates (as DELETE does); true reactivates' }),
    presence(true),
    IsBoolean({ message: '$property must be true or false' }),
  );
}
