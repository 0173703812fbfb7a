import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../../common/page';
import { templateParameters } from '../../text/render-template';
import type { MessageTemplate } from '../message-template';
import { QuickReplyDto, TemplateElementDto } from './template-fields';

export class TemplateResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() text!: string;

  @ApiProperty({ type: [String], example: ['name', 'order'], description: 'the placeholders `params` must fill' })
  parameters!: string[];

  @ApiProperty({ type: [QuickReplyDto] }) quickReplies!: QuickReplyDto[];
  @ApiProperty({ type: [TemplateElementDto] }) elements!: TemplateElementDto[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static from(template: MessageTemplate): TemplateResponseDto {
    return {
      id: template.id,
      name: template.name,
      text: template.text,
      parameters: templateParameters(template.text),
      quickReplies: template.quickReplies.map(({ title, payload }) => ({ title, payload })),
      elements: template.elements.map((element) => ({
        title: element.title,
        subtitle: element.subtitle,
        imageUrl: element.imageUrl,
        defaultActionUrl: element.defaultActionUrl,
        buttons: element.buttons.map((button) => ({ ...button })),
      })),
      createdAt: template.createdAt,
      updatedAt: template.updatedAt,
    };
  }
}

export class TemplatePageDto {
  @ApiProperty({ type: [TemplateResponseDto] }) items!: TemplateResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;

  static from(page: Page<MessageTemplate>): TemplatePageDto {
    return { items: page.items.map((template) => TemplateResponseDto.from(template)), nextCursor: page.nextCursor };
  }
}
