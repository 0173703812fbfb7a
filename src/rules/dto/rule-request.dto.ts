import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { presence, CodePointLength } from '@http';
import type { MatchType } from '../matching/matchable-rule';
import type { NewResponseRule, ResponseRuleChanges } from '../response-rule';
import {
  KeywordsField,
  MatchTypeField,
  PriorityField,
  ResponseTextField,
  RuleIsActiveField,
  RuleTemplateNameField,
  RuleNameField,
} from './rule-fields';

/** The rule's fields of a request body, and nothing else the DTO holds. */
function ruleFieldsOf<T extends ResponseRuleChanges>(dto: T): Pick<T, keyof NewResponseRule> {
  const { name, matchType, keywords, responseText, templateName, priority, isActive } = dto;
  return { name, matchType, keywords, responseText, templateName, priority, isActive };
}

/** A customer's message to try the rules on: longer than any message Instagram lets through. */
const TEST_TEXT_MAX_LENGTH = 10_000;

export class CreateRuleDto {
  @RuleNameField()
  name!: string;

  @MatchTypeField()
  matchType!: MatchType;

  @KeywordsField()
  keywords!: string[];

  @ResponseTextField()
  responseText?: string;

  @RuleTemplateNameField()
  templateName?: string | null;

  @PriorityField()
  priority?: number;

  @RuleIsActiveField()
  isActive?: boolean;

  toNewRule(): NewResponseRule {
    return ruleFieldsOf(this);
  }
}

/** Any subset of the fields; a field left out keeps its value, and none may be null. */
export class UpdateRuleDto {
  @RuleNameField({ optional: true })
  name?: string;

  @MatchTypeField({ optional: true })
  matchType?: MatchType;

  @KeywordsField({ optional: true })
  keywords?: string[];

  @ResponseTextField({ optional: true })
  responseText?: string;

  @RuleTemplateNameField()
  templateName?: string | null;

  @PriorityField({ optional: true })
  priority?: number;

  @RuleIsActiveField({ optional: true })
  isActive?: boolean;

  toChanges(): ResponseRuleChanges {
    return ruleFieldsOf(this);
  }
}

export class TestRuleDto {
  @ApiProperty({
    type: String,
    maxLength: TEST_TEXT_MAX_LENGTH,
    description: 'a message as a customer would send it',
    example: 'Do you ship to Berlin?',
  })
  @applyDecorators(
    presence(false),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, TEST_TEXT_MAX_LENGTH, {
      message: `$property must be at most ${TEST_TEXT_MAX_LENGTH} characters`,
    }),
  )
  text!: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 64,
    description: 'fills {{username}} in the preview',
    example: 'synthetic_customer',
  })
  @applyDecorators(
    presence(true),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 64, { message: '$property must be at most 64 characters' }),
  )
  username?: string;

  @ApiPropertyOptional({ type: String, maxLength: 200, description: 'fills {{name}} in the preview', example: 'Anna' })
  @applyDecorators(
    presence(true),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 200, { message: '$property must be at most 200 characters' }),
  )
  name?: string;
}
