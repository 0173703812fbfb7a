/** Who a reply is addressed to; either may be unknown until the profile has been looked up. */
export interface ReplyRecipient {
  username: string | null | undefined;
  name: string | null | undefined;
}

/** `{{ name }}`: the placeholder syntax of rule replies and message templates. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

const REPLY_PLACEHOLDERS: ReadonlySet<string> = new Set(['username', 'name']);

/**
 * Fills `{{username}}` and `{{name}}` in a rule's response text. An automatic
 * reply is sent unattended, so a value that is not known yet, or a
 * placeholder that rules do not offer, becomes an empty string rather than
 * literal braces in front of a customer.
 */
export function renderReply(text: string, recipient: ReplyRecipient): string {
  return text.replace(PLACEHOLDER, (_placeholder, name: string) => {
    if (name === 'username') return recipient.username ?? '';
    if (name === 'name') return recipient.name ?? '';
    return '';
  });
}

/** Placeholders other than `{{username}}` and `{{name}}`, so a rule that uses them can be refused when saved. */
export function unsupportedReplyPlaceholders(text: string): string[] {
  const names = Array.from(text.matchAll(PLACEHOLDER), (match) => match[1]);
  return [...new Set(names.filter((name) => !REPLY_PLACEHOLDERS.has(name)))];
}
