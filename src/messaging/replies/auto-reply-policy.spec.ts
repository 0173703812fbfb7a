import { autoReplyCapOf, DEFAULT_AUTO_REPLY_CAP, reasonNotToReply } from './auto-reply-policy';

describe('reasonNotToReply', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const open = { automationPausedUntil: null };
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it('lets a new message of an open conversation be answered', () => {
    expect(reasonNotToReply(open, minutesAgo(1), now, 0)).toBeNull();
  });

  it('holds back while automation is paused, and not after the pause ended', () => {
    expect(reasonNotToReply({ automationPausedUntil: minutesAgo(-5) }, minutesAgo(1), now, 0)).toBe(
      'automation_paused',
    );
    expect(reasonNotToReply({ automationPausedUntil: minutesAgo(5) }, minutesAgo(1), now, 0)).toBeNull();
  });

  it('never answers a message Meta’s window has closed on', () => {
    expect(reasonNotToReply(open, minutesAgo(24 * 60), now, 0)).toBe('window_closed');
    expect(reasonNotToReply(open, minutesAgo(24 * 60 - 1), now, 0)).toBeNull();
  });

  it('stops at the conversation’s limit of automatic replies', () => {
    expect(reasonNotToReply(open, minutesAgo(1), now, 4)).toBeNull();
    expect(reasonNotToReply(open, minutesAgo(1), now, 5)).toBe('auto_reply_limit');
    expect(reasonNotToReply(open, minutesAgo(1), now, 1, { replies: 1, windowMs: 60_000 })).toBe('auto_reply_limit');
  });
});

describe('autoReplyCapOf', () => {
  it('is 5 in 10 minutes unless the account sets its own', () => {
    expect(autoReplyCapOf({ autoReplyLimit: null, autoReplyLimitMinutes: null })).toEqual(DEFAULT_AUTO_REPLY_CAP);
    expect(autoReplyCapOf({ autoReplyLimit: 2, autoReplyLimitMinutes: 60 })).toEqual({
      replies: 2,
      windowMs: 3_600_000,
    });
  });
});
