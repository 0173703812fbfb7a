import type { MessageTemplateChanges, NewMessageTemplate } from '../message-template';
import { attachmentsOf, buttonsOf, elementsOf, quickRepliesOf } from './stored-template-parts';
import {
  AttachmentsField,
  ButtonsField,
  ElementsField,
  type MediaAttachmentDto,
  type TemplateButtonDto,
  QuickRepliesField,
  type QuickReplyDto,
  type TemplateElementDto,
  TemplateNameField,
  TemplateTextField,
} from './template-fields';

export class CreateTemplateDto {
  @TemplateNameField()
  name!: string;

  @TemplateTextField()
  text!: string;

  @QuickRepliesField()
  quickReplies?: QuickReplyDto[] | null;

  @ElementsField()
  elements?: TemplateElementDto[] | null;

  @ButtonsField()
  buttons?: TemplateButtonDto[] | null;

  @AttachmentsField()
  attachments?: MediaAttachmentDto[] | null;

  toNewTemplate(): NewMessageTemplate {
    return {
      name: this.name,
      text: this.text,
      quickReplies: quickRepliesOf(this.quickReplies),
      elements: elementsOf(this.elements),
      buttons: buttonsOf(this.buttons),
      attachments: attachmentsOf(this.attachments),
    };
  }
}

/** Any subset of the fields; `quickReplies: null` or `elements: null` removes them. */
export class UpdateTemplateDto {
  @TemplateNameField({ optional: true })
  name?: string;

  @TemplateTextField({ optional: true })
  text?: string;

  @QuickRepliesField()
  quickReplies?: QuickReplyDto[] | null;

  @ElementsField()
  elements?: TemplateElementDto[] | null;

  @ButtonsField()
  buttons?: TemplateButtonDto[] | null;

  @AttachmentsField()
  attachments?: MediaAttachmentDto[] | null;

  toChanges(): MessageTemplateChanges {
    return {
      name: this.name,
      text: this.text,
      quickReplies: quickRepliesOf(this.quickReplies),
      elements: elementsOf(this.elements),
      buttons: buttonsOf(this.buttons),
      attachments: attachmentsOf(this.attachments),
    };
  }
}
