import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { AdminApiModule } from '@http';
import { ActiveRulesCache } from './active-rules-cache';
import { TypeOrmRuleRepository } from './persistence/typeorm-rule.repository';
import { ResponseEngine } from './response-engine';
import { RuleRepository } from './rule.repository';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';

@Module({
  imports: [AccountsModule, AdminApiModule],
  controllers: [RulesController],
  providers: [
    { provide: RuleRepository, useClass: TypeOrmRuleRepository },
    ActiveRulesCache,
    ResponseEngine,
    RulesService,
  ],
  exports: [ActiveRulesCache, ResponseEngine],
})
export class RulesModule {}
