import { HUMAN_AGENT_TAG, privateReplyRefusal, windowRefusal } from './messaging-window';

const HOUR = 3_600_000;
const now = new Date('2026-06-10T12:00:00.000Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const automatic = { origin: 'rule' as const, tag: null };
const person = { origin: 'operator' as const, tag: null };
const tagged = { origin: 'operator' as const, tag: HUMAN_AGENT_TAG };

describe('windowRefusal', () => {
  it('lets everything through within 24 hours of the person’s last message', () => {
    for (const message of [automatic, person, tagged, { origin: 'fallback' as const, tag: null }]) {
      expect(windowRefusal(ago(23.9), message, now)).toBeNull();
    }
  });

  it('refuses an automatic message after 24 hours, even tagged', () => {
    expect(windowRefusal(ago(24), automatic, now)).toBe(
      'the 24-hour messaging window closed at 2026-06-10T12:00:00.000Z; automatic messages are not sent after it',
    );
    expect(windowRefusal(ago(25), { origin: 'rule', tag: HUMAN_AGENT_TAG }, now)).toMatch(/automatic messages/);
  });

  it('lets a person’s HUMAN_AGENT message through up to 7 days, and says so to an untagged one', () => {
    expect(windowRefusal(ago(24 * 7 - 1), tagged, now)).toBeNull();
    expect(windowRefusal(ago(30), person, now)).toBe(
      'the 24-hour messaging window closed at 2026-06-10T06:00:00.000Z; a message written by a person may still be ' +
        'sent with tag HUMAN_AGENT until 2026-06-16T06:00:00.000Z',
    );
  });

  it('refuses everything after 7 days', () => {
    expect(windowRefusal(ago(24 * 7), tagged, now)).toBe(
      'the 24-hour messaging window closed at 2026-06-04T12:00:00.000Z, and the 7-day window of the HUMAN_AGENT tag ' +
        'at 2026-06-10T12:00:00.000Z',
    );
  });

  it('refuses a message to someone who never wrote', () => {
    expect(windowRefusal(null, tagged, now)).toMatch(/has not messaged this account yet/);
  });
});

describe('privateReplyRefusal', () => {
  it('lets a private reply through within 7 days of the comment, whatever the 24-hour window says', () => {
    expect(privateReplyRefusal(ago(1), now)).toBeNull();
    expect(privateReplyRefusal(ago(7 * 24 - 0.01), now)).toBeNull();
  });

  it('refuses it from 7 days after the comment on, and when the comment’s time is unknown', () => {
    expect(privateReplyRefusal(ago(7 * 24), now)).toBe(
      'Meta accepts a private reply only within 7 days of the comment, which ended at 2026-06-10T12:00:00.000Z',
    );
    expect(privateReplyRefusal(null, now)).toContain('unknown');
  });
});
