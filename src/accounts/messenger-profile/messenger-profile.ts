/** A question shown to someone who opens the chat for the first time; tapping it sends `payload` as a postback. */
export interface IceBreaker {
  question: string;
  payload: string;
}

/** An item of the menu that stays beside the chat: a postback (sends `payload`) or a link (opens `url`). */
export type PersistentMenuItem =
  { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string };

/** What the account has set on Meta's Messenger Profile, as last set through this service. */
export interface MessengerProfile {
  accountId: string;
  iceBreakers: IceBreaker[];
  persistentMenu: PersistentMenuItem[];
  /** When it was last set on Meta; null when never. */
  updatedAt: Date | null;
}

/** Meta's limits: at most 4 ice breakers; a menu item's title of at most 30 characters. */
export const MAX_ICE_BREAKERS = 4;
export const ICE_BREAKER_QUESTION_MAX_LENGTH = 80;
export const MAX_PERSISTENT_MENU_ITEMS = 20;
export const MENU_TITLE_MAX_LENGTH = 30;

/**
 * The Messenger Profile API's body for what is set (meta: ice breakers in their localised form, one
 * `default` locale; the persistent menu likewise). Fields left empty are not sent: they are deleted.
 */
export function messengerProfileBody(profile: Pick<MessengerProfile, 'iceBreakers' | 'persistentMenu'>) {
  return {
    ...(profile.iceBreakers.length > 0
      ? {
          ice_breakers: [
            {
              call_to_actions: profile.iceBreakers.map(({ question, payload }) => ({ question, payload })),
              locale: 'default',
            },
          ],
        }
      : {}),
    ...(profile.persistentMenu.length > 0
      ? {
          persistent_menu: [
            {
              locale: 'default',
              call_to_actions: profile.persistentMenu.map((item) =>
                item.type === 'postback'
                  ? { type: 'postback', title: item.title, payload: item.payload }
                  : { type: 'web_url', title: item.title, url: item.url },
              ),
            },
          ],
        }
      : {}),
  };
}
