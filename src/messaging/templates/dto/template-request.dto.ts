import type {
  MessageTemplateChanges,
  NewMessageTemplate,
  QuickReply,
  TemplateButton,
  TemplateElement,
} from '../message-template';
import {
  ElementsField,
  QuickRepliesField,
  type QuickReplyDto,
  type TemplateButtonDto,
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

  toNewTemplate(): NewMessageTemplate {
    return {
      name: this.name,
      text: this.text,
      quickReplies: quickRepliesOf(this.quickReplies),
      elements: elementsOf(this.elements),
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

  toChanges(): MessageTemplateChanges {
    return {
      name: this.name,
      text: this.text,
      quickReplies: quickRepliesOf(this.quickReplies),
      elements: elementsOf(this.elements),
    };
  }
}

function quickRepliesOf(dtos: QuickReplyDto[] | null | undefined): QuickReply[] | null | undefined {
  return dtos && dtos.map(({ title, payload }) => ({ title, payload }));
}

function elementsOf(dtos: TemplateElementDto[] | null | undefined): TemplateElement[] | null | undefined {
  return (
    dtos &&
    dtos.map((element) => ({
      title: element.title,
      subtitle: element.subtitle ?? null,
      imageUrl: element.imageUrl ?? null,
      defaultActionUrl: element.defaultActionUrl ?? null,
      buttons: (element.buttons ?? []).map(buttonOf),
    }))
  );
}

function buttonOf(button: TemplateButtonDto): TemplateButton {
  return button.type === 'web_url'
    ? { type: 'web_url', title: button.title, url: button.url ?? '' }
    : { type: 'postback', title: button.title, payload: button.payload ?? '' };
}
