// What other modules may use of `templates`; everything else in the folder is its own.
export { MediaAttachmentDto, TEMPLATE_NAME_MAX_LENGTH, TEMPLATE_TEXT_MAX_LENGTH } from './dto/template-fields';
export { renderTemplate } from './fill-template-params';
export type { MessageTemplate, TemplateButton, TemplateElement } from './message-template';
export { MessageTemplateEntity } from './persistence/message-template.entity';
export { RecentTemplates } from './recent-templates';
export { TemplatesModule } from './templates.module';
export { TemplatesService } from './templates.service';
