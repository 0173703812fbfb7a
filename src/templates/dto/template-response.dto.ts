import { ApiProperty } from '@nestjs/swagger';
import { mapPage } from '@common';
import type { Page } from '@common';
import { NextCursorProperty } from '@http';
import { templateParameters } from '../fill-template-params';
import type { MessageTemplate } from '../message-template';
import { MediaAttachmentDto, QuickReplyDto, TemplateButtonDto, TemplateElementDto } from './template-fields';

export class TemplateResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-ad43-7051-9c6e-4f5a6b7c8d9e' }) id!: string;
  @ApiProperty({ example: 'order_shipped' }) name!: string;
  @ApiProperty({ example: 'Hi {{name}}, your order {{order}} is on its way.' }) text!: string;

  @ApiProperty({ type: [String], example: ['name', 'order'], description: 'the placeholders `params` must fill' })
  parameters!: string[];

  @ApiProperty({ type: [QuickReplyDto] }) quickReplies!: QuickReplyDto[];
  @ApiProperty({ type: [TemplateElementDto] }) elements!: TemplateElementDto[];
  @ApiProperty({ type: [TemplateButtonDto], description: 'a button template’s buttons under the text' })
  buttons!: TemplateButtonDto[];
  @ApiProperty({ type: [MediaAttachmentDto], description: 'media sent after the text' })
  attachments!: MediaAttachmentDto[];
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' }) updatedAt!: Date;

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
      buttons: template.buttons.map((button) => ({ ...button })),
      attachments: template.attachments.map(({ type, url }) => ({ type, url })),
      createdAt: template.createdAt,
      updatedAt: template.updatedAt,
    };
  }
}

export class TemplatePageDto {
  @ApiProperty({ type: [TemplateResponseDto] }) items!: TemplateResponseDto[];
  @NextCursorProperty()
  nextCursor!: string | null;

  static from(page: Page<MessageTemplate>): TemplatePageDto {
    return mapPage(page, (template) => TemplateResponseDto.from(template));
  }
}
