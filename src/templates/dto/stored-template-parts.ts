import type { MediaAttachment, QuickReply, TemplateButton, TemplateElement } from '../message-template';
import type { MediaAttachmentDto, QuickReplyDto, TemplateButtonDto, TemplateElementDto } from './template-fields';

/** A request's quick replies as they are stored; null and undefined are kept (they mean "remove" and "keep"). */
export function quickRepliesOf(dtos: QuickReplyDto[] | null | undefined): QuickReply[] | null | undefined {
  return dtos && dtos.map(({ title, payload }) => ({ title, payload }));
}

/** A request's cards as they are stored, every optional part spelled out. */
export function elementsOf(dtos: TemplateElementDto[] | null | undefined): TemplateElement[] | null | undefined {
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

/** A button template's buttons as they are stored. */
export function buttonsOf(dtos: TemplateButtonDto[] | null | undefined): TemplateButton[] | null | undefined {
  return dtos && dtos.map(buttonOf);
}

export function attachmentsOf(dtos: MediaAttachmentDto[] | null | undefined): MediaAttachment[] | null | undefined {
  return dtos && dtos.map(({ type, url }) => ({ type, url }));
}

function buttonOf(button: TemplateButtonDto): TemplateButton {
  return button.type === 'web_url'
    ? { type: 'web_url', title: button.title, url: button.url ?? '' }
    : { type: 'postback', title: button.title, payload: button.payload ?? '' };
}
