import { DomainError } from '@common';
import type { MediaType, Sticker } from '@graph-api';
import type { Attachment, MessageType } from '../message';
import { renderTemplate } from '@templates';
import { splitMessageText } from '../text/split-message-text';
import type { MessageTemplate, TemplateButton, TemplateElement } from '@templates';

/**
 * One outbox row's content: a text, or a Send API `message` object in
 * `payload` (quick replies, a generic template), which is sent as it is.
 */
export interface OutboundPart {
  type: Extract<MessageType, 'text' | 'template' | 'attachment'>;
  text: string | null;
  payload: Record<string, unknown> | null;
  /** Media and stickers, as the history shows them. */
  attachments?: Attachment[];
  /** `replyToMid` on the first part of a quote reply. */
  metadata?: Record<string, unknown> | null;
}

/** Media by URL, which Meta fetches when it is sent: `{attachment: {type, payload: {url}}}`. */
export function mediaPart(type: MediaType, url: string): OutboundPart {
  const attachment = { type, payload: { url } };
  return { type: 'attachment', text: null, payload: { attachment }, attachments: [attachment] };
}

/** A sticker: the Send API takes it as an attachment of its own type, with no payload. */
export function stickerPart(sticker: Sticker): OutboundPart {
  return {
    type: 'attachment',
    text: null,
    payload: { attachment: { type: sticker } },
    attachments: [{ type: sticker, payload: {} }],
  };
}

/** A text that quotes one of the conversation's messages: its first part carries the quoted mid. */
export function quoteReplyParts(text: string, replyToMid: string): OutboundPart[] {
  const [first, ...rest] = textParts(text);
  return [{ ...first, metadata: { replyToMid } }, ...rest];
}

/** A text as the messages Meta accepts: split at word boundaries into parts of at most 1000 bytes. */
export function textParts(text: string): OutboundPart[] {
  const parts = splitMessageText(text).map((part): OutboundPart => ({ type: 'text', text: part, payload: null }));
  if (parts.length === 0) throw new DomainError('validation_failed', 'the message is empty', { text: 'is empty' });
  return parts;
}

/** Meta's button template: a text of at most 640 characters with at most 3 buttons under it. */
const BUTTON_TEMPLATE_TEXT_MAX_LENGTH = 640;

/**
 * A template filled with `params`: its text (split when long; with buttons,
 * one button template), then its cards as a generic template, then its
 * media, one message each; quick replies go under the last part, where the
 * person will see them.
 * @throws MissingTemplateParameterError naming every placeholder without a value.
 */
export function templateParts(template: MessageTemplate, params: Readonly<Record<string, string>>): OutboundPart[] {
  const text = renderTemplate(template.text, params);
  const parts =
    template.buttons.length > 0
      ? [buttonTemplatePart(text, template.buttons)]
      : splitMessageText(text).map((part): OutboundPart => ({ type: 'text', text: part, payload: null }));
  if (template.elements.length > 0) {
    parts.push({ type: 'template', text: null, payload: genericTemplate(template.elements) });
  }
  for (const { type, url } of template.attachments) parts.push(mediaPart(type, url));
  if (parts.length === 0) {
    throw new DomainError('validation_failed', 'the filled-in template is empty', { params: 'leave nothing to send' });
  }
  if (template.quickReplies.length > 0) {
    const last = parts[parts.length - 1];
    parts[parts.length - 1] = {
      ...last,
      payload: {
        ...(last.payload ?? { text: last.text }),
        quick_replies: template.quickReplies.map(({ title, payload }) => ({ content_type: 'text', title, payload })),
      },
    };
  }
  return parts;
}

function buttonTemplatePart(text: string, buttons: TemplateButton[]): OutboundPart {
  if ([...text].length > BUTTON_TEMPLATE_TEXT_MAX_LENGTH || text.trim() === '') {
    throw new DomainError(
      'validation_failed',
      `with its buttons, the filled-in text must be 1 to ${BUTTON_TEMPLATE_TEXT_MAX_LENGTH} characters`,
      { params: `make the text longer than ${BUTTON_TEMPLATE_TEXT_MAX_LENGTH} characters, or empty` },
    );
  }
  return {
    type: 'template',
    text,
    payload: {
      attachment: {
        type: 'template',
        payload: { template_type: 'button', text, buttons: buttons.map(metaButton) },
      },
    },
  };
}

function genericTemplate(elements: TemplateElement[]): Record<string, unknown> {
  return {
    attachment: {
      type: 'template',
      payload: { template_type: 'generic', elements: elements.map(metaElement) },
    },
  };
}

/** Meta's field names, and only the fields that are set. */
function metaElement(element: TemplateElement): Record<string, unknown> {
  return {
    title: element.title,
    ...(element.subtitle ? { subtitle: element.subtitle } : {}),
    ...(element.imageUrl ? { image_url: element.imageUrl } : {}),
    ...(element.defaultActionUrl ? { default_action: { type: 'web_url', url: element.defaultActionUrl } } : {}),
    ...(element.buttons.length > 0 ? { buttons: element.buttons.map(metaButton) } : {}),
  };
}

function metaButton(button: TemplateButton): Record<string, unknown> {
  return button.type === 'web_url'
    ? { type: 'web_url', url: button.url, title: button.title }
    : { type: 'postback', title: button.title, payload: button.payload };
}
