import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { presence } from '../../common/validators/presence';
import { CodePointLength } from '../../common/validators/text-length';
import type { MatchType } from '../matching/matchable-rule';
import type { NewResponseRule, ResponseRuleChanges } from '../response-rule';
import {
  KeywordsField,
  MatchTypeField,
  PriorityField,
  ResponseTextField,
  RuleIsActiveField,
  RuleNameField,
} from './rule-fields';

/** The rule's fields of a request body, and nothing else the DTO holds. */
function ruleFieldsOf<T extends ResponseRuleChanges>(dto: T): Pick<T, keyof NewResponseRule> {
  const { name, matchType, keywords, responseText, priority, isActive } = dto;
  return { name, matchType, keywords, responseText, priority, isActive };
}

/** A customer's message to try the rules on: longer than any message Instagram lets through. */
const TEST_TEXT_MAX_LENGTH = 10_000;

export class CreateRuleDto {
  @ApiProperty({ example: 'Shipping questions', maxLength: 100 })
  @RuleNameField()
  name!: string;

  @ApiProperty({ example: 'word' })
  @MatchTypeField()
  matchType!: MatchType;

  @ApiProperty({
    type: [String],
    example: ['shipping', 'deliver'],
    description: 'one or more; matching ignores case and Unicode normalisation',
  })
  @KeywordsField()
  keywords!: string[];

  @ApiProperty({
    example: 'Hi {{name}}! We ship worldwide in 3-5 days.',
    description: 'at most 1000 bytes; may use {{username}} and {{name}}',
  })
  @ResponseTextField()
  responseText!: string;

  @ApiPropertyOptional({ default: 0, description: 'higher is tried first; ties: older rule first' })
  @PriorityField()
  priority?: number;

  @ApiPropertyOptional({ default: true })
  @RuleIsActiveField()
  isActive?: boolean;

  toNewRule(): NewResponseRule {
    return ruleFieldsOf(this);
  }
}

/** Any subset of the fields; a field left out keeps its value, and none may be null. */
export class UpdateRuleDto {
  @ApiPropertyOptional({ example: 'Shipping questions', maxLength: 100 })
  @RuleNameField({ optional: true })
  name?: string;

  @ApiPropertyOptional({ example: 'word' })
  @MatchTypeField({ optional: true })
  matchType?: MatchType;

  @ApiPropertyOptional({ type: [String], example: ['shipping', 'deliver'] })
  @KeywordsField({ optional: true })
  keywords?: string[];

  @ApiPropertyOptional({ example: 'Hi {{name}}! We ship worldwide in 3-5 days.' })
  @ResponseTextField({ optional: true })
  responseText?: string;

  @ApiPropertyOptional({ description: 'higher is tried first; ties: older rule first' })
  @PriorityField()
  priority?: number;

  @ApiPropertyOptional()
  @RuleIsActiveField()
  isActive?: boolean;

  toChanges(): ResponseRuleChanges {
    return ruleFieldsOf(this);
  }
}

export class TestRuleDto {
  @ApiProperty({ example: 'Do you ship to Berlin?', description: 'a message as a customer would send it' })
  @applyDecorators(
    presence(false),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, TEST_TEXT_MAX_LENGTH, {
      message: `$property must be at most ${TEST_TEXT_MAX_LENGTH} characters`,
    }),
  )
  text!: string;

  @ApiPropertyOptional({ description: 'fills {{username}} in the preview' })
  @applyDecorators(
    presence(true),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 64, { message: '$property must be at most 64 characters' }),
  )
  username?: string;

  @ApiPropertyOptional({ description: 'fills {{name}} in the preview' })
  @applyDecorators(
    presence(true),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 200, { message: '$property must be at most 200 characters' }),
  )
  name?: string;
}
