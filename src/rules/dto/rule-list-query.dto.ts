import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@http';
import { RULE_TRIGGERS, type RuleTrigger } from '../rule-trigger';

/** `GET /accounts/:id/rules`: a page, optionally of one trigger's rules only. */
export class RuleListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RULE_TRIGGERS, description: 'only the rules with this trigger' })
  @IsOptional()
  @IsIn(RULE_TRIGGERS, { message: `$property must be one of ${RULE_TRIGGERS.join(', ')}` })
  trigger?: RuleTrigger;
}
