import { ApiProperty } from '@nestjs/swagger';
import { MATCH_TYPES, type MatchType } from '../matching/matchable-rule';
import type { ResponseRule } from '../response-rule';
import type { ReplyDecision } from '../response-engine';

export class RuleResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MATCH_TYPES }) matchType!: MatchType;
  @ApiProperty({ type: [String] }) keywords!: string[];
  @ApiProperty() responseText!: string;
  @ApiProperty() priority!: number;
  @ApiProperty() isActive!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static from(rule: ResponseRule): RuleResponseDto {
    const { id, name, matchType, keywords, responseText, priority, isActive, createdAt, updatedAt } = rule;
    return { id, name, matchType, keywords, responseText, priority, isActive, createdAt, updatedAt };
  }
}

export class RulePageDto {
  @ApiProperty({ type: [RuleResponseDto] }) items!: RuleResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RuleTestResultDto {
  @ApiProperty({ description: 'a rule matched' }) matched!: boolean;
  @ApiProperty({ enum: ['rule', 'fallback', 'none'] }) source!: ReplyDecision['source'];
  @ApiProperty({ type: String, nullable: true }) ruleId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ruleName!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the reply, rendered' }) responseText!: string | null;
  @ApiProperty({ description: 'which keyword matched and how, or why nothing answers' }) reason!: string;

  static from(decision: ReplyDecision): RuleTestResultDto {
    return {
      matched: decision.source === 'rule',
      source: decision.source,
      ruleId: decision.rule?.id ?? null,
      ruleName: decision.rule?.name ?? null,
      responseText: decision.text,
      reason: decision.reason,
    };
  }
}
