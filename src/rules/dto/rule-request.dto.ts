import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsByteLength,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MATCH_TYPES, type MatchType } from '../matching/matchable-rule';
import type { NewResponseRule } from '../response-rule';

/** Meta's limit for one message; a reply is checked when the rule is saved. */
export const RESPONSE_TEXT_MAX_BYTES = 1000;
const MAX_KEYWORDS = 100;
const KEYWORD_MAX_LENGTH = 200;

const trimmedStrings = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export class CreateRuleDto {
  @ApiProperty({ example: 'Shipping questions', maxLength: 100 })
  @IsString({ message: '$property must be a string' })
  @IsNotEmpty({ message: '$property must not be empty' })
  @MaxLength(100, { message: '$property must be at most 100 characters' })
  name!: string;

  @ApiProperty({ enum: MATCH_TYPES, example: 'word' })
  @IsIn(MATCH_TYPES, { message: `$property must be one of ${MATCH_TYPES.join(', ')}` })
  matchType!: MatchType;

  @ApiProperty({
    type: [String],
    example: ['shipping', 'deliver'],
    description: 'one or more; matching ignores case and Unicode normalisation',
  })
  @Transform(trimmedStrings)
  @IsArray({ message: '$property must be a list of keywords' })
  @ArrayMinSize(1, { message: '$property must hold at least one keyword' })
  @ArrayMaxSize(MAX_KEYWORDS, { message: `$property must hold at most ${MAX_KEYWORDS} keywords` })
  @IsString({ each: true, message: 'each keyword must be a string' })
  @IsNotEmpty({ each: true, message: 'no keyword may be empty' })
  @MaxLength(KEYWORD_MAX_LENGTH, {
    each: true,
    message: `each keyword must be at most ${KEYWORD_MAX_LENGTH} characters`,
  })
  keywords!: string[];

  @ApiProperty({
    example: 'Hi {{name}}! We ship worldwide in 3-5 days.',
    description: 'at most 1000 bytes; may use {{username}} and {{name}}',
  })
  @IsString({ message: '$property must be a string' })
  @IsNotEmpty({ message: '$property must not be empty' })
  @IsByteLength(0, RESPONSE_TEXT_MAX_BYTES, {
    message: `$property must be at most ${RESPONSE_TEXT_MAX_BYTES} bytes of UTF-8`,
  })
  responseText!: string;

  @ApiPropertyOptional({ default: 0, description: 'higher is tried first; ties: older rule first' })
  @IsOptional()
  @IsInt({ message: '$property must be an integer' })
  @Min(-1_000_000)
  @Max(1_000_000)
  priority?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: '$property must be true or false' })
  isActive?: boolean;

  toNewRule(): NewResponseRule {
    return {
      name: this.name,
      matchType: this.matchType,
      keywords: this.keywords,
      responseText: this.responseText,
      priority: this.priority,
      isActive: this.isActive,
    };
  }
}

export class UpdateRuleDto extends PartialType(CreateRuleDto) {}

export class TestRuleDto {
  @ApiProperty({ example: 'Do you ship to Berlin?', description: 'a message as a customer would send it' })
  @IsString({ message: '$property must be a string' })
  @MaxLength(10_000, { message: '$property must be at most 10000 characters' })
  text!: string;

  @ApiPropertyOptional({ description: 'fills {{username}} in the preview' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(64)
  username?: string;

  @ApiPropertyOptional({ description: 'fills {{name}} in the preview' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(200)
  name?: string;
}
