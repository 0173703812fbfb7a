import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { AdminApiModule } from '@http';
import { MessageTemplateRepository } from './message-template.repository';
import { RecentTemplates } from './recent-templates';
import { TypeOrmMessageTemplateRepository } from './persistence/typeorm-message-template.repository';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

const controllers = [TemplatesController];
const providers = [
  { provide: MessageTemplateRepository, useClass: TypeOrmMessageTemplateRepository },
  RecentTemplates,
  TemplatesService,
];
const exported = [TemplatesService, RecentTemplates];

/** Each account's message templates, and their admin routes. */
@Module({ imports: [AccountsModule, AdminApiModule], controllers, providers, exports: exported })
export class TemplatesModule {}
