// The validation of each writable rule field, written once for POST (required) and PUT (optional).
// class-validator checks a field's rules in the order they are registered: applyDecorators registers
// them in the order listed here, so the type is checked before the length, and a missing field is
// told so rather than something about its length.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  ValidateBy,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { presence, FitsJsonTextColumn, CodePointLength, Utf8ByteLength } from '@http';
import { MATCH_TYPES } from '../matching/matchable-rule';
import { RULE_TRIGGERS } from '../rule-trigger';

interface FieldOptions {
  /** PUT: the field may be left out (but not sent as null), and keeps its value then. */
  optional?: boolean;
}

/** The column's length (`VARCHAR(100)`). */
export const RULE_NAME_MAX_LENGTH = 100;
/** Meta's limit for one message; a reply is checked when the rule is saved. */
export const RESPONSE_TEXT_MAX_BYTES = 1000;
export const MAX_KEYWORDS = 100;
export const KEYWORD_MAX_LENGTH = 200;
export const PRIORITY_LIMIT = 1_000_000;
export const MAX_MEDIA_IDS = 100;
/** Meta's media ids are numbers, far shorter than this. */
const MEDIA_ID_PATTERN = /^\d{1,64}$/;

/** Sent as null, or left out: no value (on PUT, null clears what is stored). */
const absentOrNull = ValidateIf((_object, value) => value !== undefined && value !== null);

const trimmedStrings = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export function RuleNameField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: !optional,
      minLength: 1,
      maxLength: RULE_NAME_MAX_LENGTH,
      example: 'Shipping questions',
    }),
    presence(optional),
    IsString({ message: '$property must be a string' }),
    IsNotEmpty({ message: '$property must not be empty' }),
    CodePointLength(1, RULE_NAME_MAX_LENGTH, {
      message: `$property must be at most ${RULE_NAME_MAX_LENGTH} characters`,
    }),
  );
}

export function MatchTypeField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      enum: MATCH_TYPES,
      required: !optional,
      description: '`word`: whole words only; `contains`: anywhere; `exact`: the whole message; `starts_with`',
      example: 'word',
    }),
    presence(optional),
    IsIn(MATCH_TYPES, { message: `$property must be one of ${MATCH_TYPES.join(', ')}` }),
  );
}

export function KeywordsField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: KEYWORD_MAX_LENGTH },
      required: !optional,
      minItems: 1,
      maxItems: MAX_KEYWORDS,
      description: 'one or more; matching ignores case and Unicode normalisation; trimmed',
      example: ['shipping', 'deliver'],
    }),
    Transform(trimmedStrings),
    presence(optional),
    IsArray({ message: '$property must be a list of keywords' }),
    ArrayMinSize(1, { message: '$property must hold at least one keyword' }),
    ArrayMaxSize(MAX_KEYWORDS, { message: `$property must hold at most ${MAX_KEYWORDS} keywords` }),
    IsString({ each: true, message: 'each keyword must be a string' }),
    IsNotEmpty({ each: true, message: 'no keyword may be empty' }),
    CodePointLength(1, KEYWORD_MAX_LENGTH, {
      each: true,
      message: `each keyword must be at most ${KEYWORD_MAX_LENGTH} characters`,
    }),
    FitsJsonTextColumn({ message: '$property are too long together; use fewer or shorter keywords' }),
  );
}

/** The column's length (`VARCHAR(100)`), as a template's name. */
const TEMPLATE_NAME_MAX_LENGTH = 100;

const given = (body: object, property: string) => (body as Record<string, unknown>)[property] !== undefined;
/** `templateName: null` says the rule answers with no template, which is what leaving it out says. */
const templateNamed = (body: object) => ((body as Record<string, unknown>).templateName ?? null) !== null;

/** A rule answers with `responseText` or with `templateName`: one of them, never both. */
export function RuleTemplateNameField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      minLength: 1,
      maxLength: TEMPLATE_NAME_MAX_LENGTH,
      description:
        'answer with this template of the account instead of responseText (its text may use {{username}} and ' +
        '{{name}}); null or left out: the rule answers with responseText',
      example: null,
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateIf(templateNamed),
    ValidateBy(
      { name: 'notWithResponseText', validator: { validate: (_v, args) => !given(args!.object, 'responseText') } },
      { message: 'give responseText or templateName, not both' },
    ),
    IsString({ message: '$property must be a string' }),
    IsNotEmpty({ message: '$property must not be empty' }),
    CodePointLength(1, TEMPLATE_NAME_MAX_LENGTH, {
      message: `$property must be at most ${TEMPLATE_NAME_MAX_LENGTH} characters`,
    }),
  );
}

export function ResponseTextField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      minLength: 1,
      // Bytes of UTF-8, which no JSON Schema keyword counts; so many bytes are at least so many characters.
      maxLength: RESPONSE_TEXT_MAX_BYTES,
      description: `at most ${RESPONSE_TEXT_MAX_BYTES} bytes of UTF-8; may use {{username}} and {{name}}`,
      example: 'Hi {{name}}! We ship worldwide in 3-5 days.',
    }),
    ValidateIf((body: object) => given(body, 'responseText') || (!optional && !templateNamed(body))),
    optional ? presence(true) : IsDefined({ message: 'responseText is required (or give templateName)' }),
    IsString({ message: '$property must be a string' }),
    IsNotEmpty({ message: '$property must not be empty' }),
    Utf8ByteLength(1, RESPONSE_TEXT_MAX_BYTES, {
      message: `$property must be at most ${RESPONSE_TEXT_MAX_BYTES} bytes of UTF-8`,
    }),
  );
}

/**
 * Optional on POST too, where it is 0 when left out; on PUT it may be left out (kept), but not sent as
 * null. The document says so in words rather than with `default`, which type generators read as
 * "always present" and so would make a client send it.
 */
export function PriorityField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'integer',
      required: false,
      minimum: -PRIORITY_LIMIT,
      maximum: PRIORITY_LIMIT,
      description: `higher is tried first; ties: older rule first${optional ? '' : '; 0 when left out'}`,
      example: 10,
    }),
    presence(true),
    IsInt({ message: '$property must be an integer' }),
    Min(-PRIORITY_LIMIT, { message: `$property must be ${-PRIORITY_LIMIT} to ${PRIORITY_LIMIT}` }),
    Max(PRIORITY_LIMIT, { message: `$property must be ${-PRIORITY_LIMIT} to ${PRIORITY_LIMIT}` }),
  );
}

/** Optional on POST too, where it is true when left out (see `PriorityField` on why not `default`). */
export function RuleIsActiveField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: Boolean,
      required: false,
      description: `inactive rules are kept but never answer${optional ? '' : '; true when left out'}`,
      example: true,
    }),
    presence(true),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** Optional on POST too, where it is `message` when left out (see `PriorityField` on why not `default`). */
export function TriggerField({ optional = false }: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      enum: RULE_TRIGGERS,
      required: false,
      description: `\`message\`: Direct Messages; \`comment\`: comments and live comments on the account’s media, answered with a private reply; \`postback\`: the payload of a quick reply, ice breaker, persistent-menu item or button, compared exactly with each keyword${optional ? '' : '; `message` when left out'}`,
      example: 'comment',
    }),
    presence(true),
    IsIn(RULE_TRIGGERS, { message: `$property must be one of ${RULE_TRIGGERS.join(', ')}` }),
  );
}

export function MediaIdsField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', pattern: MEDIA_ID_PATTERN.source },
      required: false,
      nullable: true,
      maxItems: MAX_MEDIA_IDS,
      description:
        '`comment` rules only: answer only comments on these posts, reels or live videos; null or left out: any media',
      example: ['18000000000001901'],
    }),
    absentOrNull,
    IsArray({ message: '$property must be a list of media ids' }),
    ArrayMaxSize(MAX_MEDIA_IDS, { message: `$property must hold at most ${MAX_MEDIA_IDS} media ids` }),
    IsString({ each: true, message: 'each media id must be a string' }),
    Matches(MEDIA_ID_PATTERN, { each: true, message: 'each media id must be a Meta media id (digits)' }),
  );
}

export function PublicReplyTextField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      nullable: true,
      minLength: 1,
      maxLength: RESPONSE_TEXT_MAX_BYTES,
      description: `\`comment\` rules only: posted once under the comment, besides the private reply; at most ${RESPONSE_TEXT_MAX_BYTES} bytes of UTF-8; null or left out: none`,
      example: 'Sent you a DM!',
    }),
    absentOrNull,
    IsString({ message: '$property must be a string' }),
    IsNotEmpty({ message: '$property must not be empty' }),
    Utf8ByteLength(1, RESPONSE_TEXT_MAX_BYTES, {
      message: `$property must be at most ${RESPONSE_TEXT_MAX_BYTES} bytes of UTF-8`,
    }),
  );
}
