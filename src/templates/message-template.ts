import type { MediaType } from '@graph-api';

/** A quick-reply button under a message: Meta shows `title`, and sends `payload` back when it is tapped. */
export interface QuickReply {
  title: string;
  payload: string;
}

export type TemplateButton =
  { type: 'web_url'; title: string; url: string } | { type: 'postback'; title: string; payload: string };

/** One card of a generic template. */
export interface TemplateElement {
  title: string;
  subtitle: string | null;
  imageUrl: string | null;
  /** Opened when the card itself is tapped. */
  defaultActionUrl: string | null;
  buttons: TemplateButton[];
}

/** Media Meta fetches by URL, sent after a template's text. */
export interface MediaAttachment {
  type: MediaType;
  url: string;
}

/** A reusable message of one account: text with `{{param}}` placeholders, optional quick replies and cards. */
export interface MessageTemplate {
  id: string;
  accountId: string;
  /** Unique in the account, ignoring case. */
  name: string;
  text: string;
  quickReplies: QuickReply[];
  elements: TemplateElement[];
  /** With buttons the text is sent as a button template: the text and at most 3 buttons under it. */
  buttons: TemplateButton[];
  /** Media sent after the text (and cards), one message each. */
  attachments: MediaAttachment[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewMessageTemplate {
  name: string;
  text: string;
  quickReplies?: QuickReply[] | null;
  elements?: TemplateElement[] | null;
  buttons?: TemplateButton[] | null;
  attachments?: MediaAttachment[] | null;
}

/** Any subset of the fields; null clears the quick replies or the cards. */
export type MessageTemplateChanges = Partial<NewMessageTemplate>;

/** Meta's limits for a message's quick replies and a generic template. */
export const MAX_QUICK_REPLIES = 13;
export const QUICK_REPLY_TITLE_MAX_LENGTH = 20;
export const MAX_TEMPLATE_ELEMENTS = 10;
export const MAX_ELEMENT_BUTTONS = 3;
/** A button template: at most 3 buttons, under a text of at most 640 characters. */
export const MAX_TEMPLATE_BUTTONS = 3;
export const BUTTON_TEMPLATE_TEXT_MAX_LENGTH = 640;
export const MAX_TEMPLATE_ATTACHMENTS = 10;
