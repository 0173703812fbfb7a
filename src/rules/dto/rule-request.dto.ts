import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, ValidateIf } from 'class-validator';
import { presence, CodePointLength } from '@http';
import type { MatchType } from '../matching/matchable-rule';
import { type NewResponseRule, type ResponseRuleChanges, writableRuleFieldsOf } from '../response-rule';
import { RULE_TRIGGERS, type RuleTrigger } from '../rule-trigger';
import {
  KeywordsField,
  MatchTypeField,
  MediaIdsField,
  PublicReplyTextField,
  TriggerField,
  PriorityField,
  ResponseTextField,
  RuleIsActiveField,
  RuleTemplateNameField,
  RuleNameField,
} from './rule-fields';

/** A customer's message to try the rules on: longer than any message Instagram lets through. */
const TEST_TEXT_MAX_LENGTH = 10_000;

export class CreateRuleDto {
  @RuleNameField()
  name!: string;

  @TriggerField()
  trigger?: RuleTrigger;

  @MatchTypeField()
  matchType!: MatchType;

  @KeywordsField()
  keywords!: string[];

  @ResponseTextField()
  responseText?: string;

  @RuleTemplateNameField()
  templateName?: string | null;

  @MediaIdsField()
  mediaIds?: string[] | null;

  @PublicReplyTextField()
  publicReplyText?: string | null;

  @PriorityField()
  priority?: number;

  @RuleIsActiveField()
  isActive?: boolean;

  toNewRule(): NewResponseRule {
    return writableRuleFieldsOf(this);
  }
}

/** Any subset of the fields; a field left out keeps its value, and none may be null. */
export class UpdateRuleDto {
  @RuleNameField({ optional: true })
  name?: string;

  @TriggerField({ optional: true })
  trigger?: RuleTrigger;

  @MatchTypeField({ optional: true })
  matchType?: MatchType;

  @KeywordsField({ optional: true })
  keywords?: string[];

  @ResponseTextField({ optional: true })
  responseText?: string;

  @RuleTemplateNameField()
  templateName?: string | null;

  @MediaIdsField()
  mediaIds?: string[] | null;

  @PublicReplyTextField()
  publicReplyText?: string | null;

  @PriorityField({ optional: true })
  priority?: number;

  @RuleIsActiveField({ optional: true })
  isActive?: boolean;

  toChanges(): ResponseRuleChanges {
    return writableRuleFieldsOf(this);
  }
}

export class TestRuleDto {
  @ApiPropertyOptional({
    enum: RULE_TRIGGERS,
    description: 'what to try the rules on: a Direct Message (the default), a comment, or a postback payload',
    example: 'message',
  })
  @applyDecorators(
    presence(true),
    IsIn(RULE_TRIGGERS, { message: `$property must be one of ${RULE_TRIGGERS.join(', ')}` }),
  )
  trigger?: RuleTrigger;

  @ApiPropertyOptional({
    type: String,
    maxLength: TEST_TEXT_MAX_LENGTH,
    description: 'a message or comment as a customer would write it; required unless `trigger` is `postback`',
    example: 'Do you ship to Berlin?',
  })
  @applyDecorators(
    ValidateIf((dto: TestRuleDto) => dto.trigger !== 'postback' || dto.text !== undefined),
    presence(false),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, TEST_TEXT_MAX_LENGTH, {
      message: `$property must be at most ${TEST_TEXT_MAX_LENGTH} characters`,
    }),
  )
  text?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 1000,
    description: '`postback`: the payload of the quick reply, ice breaker, menu item or button; required then',
    example: 'TALK_TO_HUMAN',
  })
  @applyDecorators(
    ValidateIf((dto: TestRuleDto) => dto.trigger === 'postback' || dto.payload !== undefined),
    presence(false),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 1000, { message: '$property must be at most 1000 characters' }),
  )
  payload?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 64,
    description: '`comment`: the media commented on, for rules limited to some media',
    example: '18000000000001901',
  })
  @applyDecorators(
    presence(true),
    IsString({ message: '$property must be a string' }),
    CodePointLength(0, 64, { message: '$property must be at most 64 characters' }),
  )
  mediaId?: string;

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
