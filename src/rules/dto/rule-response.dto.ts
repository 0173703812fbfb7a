import { ApiProperty } from '@nestjs/swagger';
import { NextCursorProperty } from '@http';
import { MATCH_TYPES, type MatchType } from '../matching/matchable-rule';
import { type ResponseRule, writableRuleFieldsOf } from '../response-rule';
import type { ReplyDecision } from '../response-engine';
import { RULE_TRIGGERS, type RuleTrigger } from '../rule-trigger';
import type { RuleTestOutcome } from '../rules.service';

export class RuleResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-7a10-7d2e-8f3b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ example: 'Shipping questions' }) name!: string;
  @ApiProperty({ enum: RULE_TRIGGERS, example: 'message' }) trigger!: RuleTrigger;
  @ApiProperty({ enum: MATCH_TYPES, example: 'word' }) matchType!: MatchType;
  @ApiProperty({ type: [String], example: ['shipping', 'deliver'] }) keywords!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null when the rule answers with a template',
    example: 'Hi {{name}}! We ship worldwide in 3-5 days.',
  })
  responseText!: string | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: '`comment` rules: only comments on these media; null: any media',
    example: null,
  })
  mediaIds!: string[] | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '`comment` rules: posted once under the comment; null: none',
    example: null,
  })
  publicReplyText!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the account’s template the rule answers with; null when it answers with responseText',
    example: null,
  })
  templateName!: string | null;

  @ApiProperty({ type: 'integer', example: 10 }) priority!: number;
  @ApiProperty({ example: true }) isActive!: boolean;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' }) updatedAt!: Date;

  static from(rule: ResponseRule): RuleResponseDto {
    return { id: rule.id, ...writableRuleFieldsOf(rule), createdAt: rule.createdAt, updatedAt: rule.updatedAt };
  }
}

export class RulePageDto {
  @ApiProperty({ type: [RuleResponseDto] }) items!: RuleResponseDto[];
  @NextCursorProperty() nextCursor!: string | null;
}

export class RuleTestResultDto {
  @ApiProperty({ description: 'a rule matched', example: true }) matched!: boolean;
  @ApiProperty({ enum: ['rule', 'fallback', 'none'], example: 'rule' }) source!: ReplyDecision['source'];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '019ac4a2-7a10-7d2e-8f3b-1c2d3e4f5a6b' })
  ruleId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Shipping questions' }) ruleName!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the reply, rendered',
    example: 'Hi Anna! We ship worldwide in 3-5 days.',
  })
  responseText!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the template the matching rule answers with (then `responseText` is null)',
    example: null,
  })
  templateName!: string | null;

  @ApiProperty({
    description: 'which keyword matched and how, or why nothing answers',
    example: 'keyword "ship" matched as a word',
  })
  reason!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '`comment`: the public reply the rule posts under the comment; null otherwise',
    example: null,
  })
  publicReplyText!: string | null;

  static from(decision: RuleTestOutcome): RuleTestResultDto {
    return {
      matched: decision.source === 'rule',
      source: decision.source,
      ruleId: decision.rule?.id ?? null,
      ruleName: decision.rule?.name ?? null,
      responseText: decision.text,
      templateName: decision.templateName,
      reason: decision.reason,
      publicReplyText: decision.publicReplyText,
    };
  }
}
