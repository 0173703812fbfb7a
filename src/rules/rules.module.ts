import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AdminApiModule } from '../common/admin-api/admin-api.module';
import { MessagingModule } from '../messaging/messaging.module';
import { ActiveRulesCache } from './active-rules-cache';
import { AutoReplier } from './auto-replier';
import { TypeOrmRuleRepository } from './persistence/typeorm-rule.repository';
import { ResponseEngine } from './response-engine';
import { RuleRepository } from './rule.repository';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';

@Module({
  imports: [AccountsModule, MessagingModule, AdminApiModule],
  controllers: [RulesController],
  providers: [
    { provide: RuleRepository, useClass: TypeOrmRuleRepository },
    ActiveRulesCache,
    ResponseEngine,
    RulesService,
    AutoReplier,
  ],
  exports: [AutoReplier, RuleRepository],
})
export class RulesModule {}
