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

/** A reusable message of one account: text with `{{param}}` placeholders, optional quick replies and cards. */
export interface MessageTemplate {
  id: string;
  accountId: string;
  /** Unique in the account, ignoring case. */
  name: string;
  text: string;
  quickReplies: QuickReply[];
  elements: TemplateElement[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewMessageTemplate {
  name: string;
  text: string;
  quickReplies?: QuickReply[] | null;
  elements?: TemplateElement[] | null;
}

/** Any subset of the fields; null clears the quick replies or the cards. */
export type MessageTemplateChanges = Partial<NewMessageTemplate>;

/** Meta's limits for a message's quick replies and a generic template. */
export const MAX_QUICK_REPLIES = 13;
export const QUICK_REPLY_TITLE_MAX_LENGTH = 20;
export const MAX_TEMPLATE_ELEMENTS = 10;
export const MAX_ELEMENT_BUTTONS = 3;
