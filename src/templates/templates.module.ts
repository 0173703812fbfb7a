import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { AdminApiModule } from '@http';
import { MessageTemplateRepository } from './message-template.repository';
import { TypeOrmMessageTemplateRepository } from './persistence/typeorm-message-template.repository';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

const controllers = [TemplatesController];
const providers = [
  { provide: MessageTemplateRepository, useClass: TypeOrmMessageTemplateRepository },
  TemplatesService,
];
const exported = [TemplatesService];

/** Each account's message templates, and their admin routes. */
@Module({ imports: [AccountsModule, AdminApiModule], controllers, providers, exports: exported })
export class TemplatesModule {}
