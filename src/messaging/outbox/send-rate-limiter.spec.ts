import { MessagingSettings } from '../messaging-settings';
import { rateClassOf, SendRateLimiter } from './send-rate-limiter';

const settings = MessagingSettings.fromEnvironment({ OUTBOX_MAX_ATTEMPTS: 8, OUTBOX_MAX_AGE: 86_400_000 });

describe('SendRateLimiter', () => {
  it('lets 100 calls of one account through in a second, then spaces them 10 ms apart', () => {
    const limiter = new SendRateLimiter(settings);
    const waits = Array.from({ length: 103 }, () => limiter.reserve('a', 0));
    expect(waits.slice(0, 100).every((wait) => wait === 0)).toBe(true);
    expect(waits.slice(100)).toEqual([10, 20, 30]);
  });

  it('lets an account connected through Facebook Login make the Messenger Platform’s 300 calls a second', () => {
    const limiter = new SendRateLimiter(settings);
    const waits = Array.from({ length: 302 }, () => limiter.reserve('a', 0, 'facebook'));
    expect(waits.slice(0, 300).every((wait) => wait === 0)).toBe(true);
    expect(waits.slice(300)).toEqual([4, 7]);
    expect(limiter.reserve('b', 0, 'instagram')).toBe(0);
  });

  it('refills with time', () => {
    const limiter = new SendRateLimiter(settings);
    for (let i = 0; i < 100; i++) limiter.reserve('a', 0);
    expect(limiter.reserve('a', 50)).toBe(0); // 5 slots came back in 50 ms
    for (let i = 0; i < 4; i++) limiter.reserve('a', 50);
    expect(limiter.reserve('a', 50)).toBe(10);
  });

  it('counts each account on its own', () => {
    const limiter = new SendRateLimiter(settings);
    for (let i = 0; i < 100; i++) limiter.reserve('a', 0);
    expect(limiter.reserve('b', 0)).toBe(0);
  });

  it('holds an account back during a cool-down, and only that account', () => {
    const limiter = new SendRateLimiter(settings);
    limiter.coolDown('a', new Date(5000));
    limiter.coolDown('a', new Date(3000)); // a shorter one never shortens it
    expect(limiter.coolingDownUntil('a', 1000)?.getTime()).toBe(5000);
    expect(limiter.coolingDownUntil('b', 1000)).toBeNull();
    expect(limiter.coolingDownUntil('a', 5000)).toBeNull();
  });

  it('lets 10 audio or video calls of one account through a second, and never makes one wait in its slot', () => {
    const limiter = new SendRateLimiter(settings);
    const waits = Array.from({ length: 12 }, () => limiter.tryReserveSlowMedia('a', 0));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    // Nothing taken when it answers a wait: the next free slot is 100 ms away for both.
    expect(waits.slice(10)).toEqual([100, 100]);
    expect(limiter.tryReserveSlowMedia('a', 100)).toBe(0);
  });

  it('counts audio and video apart from text', () => {
    const limiter = new SendRateLimiter(settings);
    for (let i = 0; i < 10; i++) limiter.tryReserveSlowMedia('a', 0);
    expect(limiter.reserve('a', 0)).toBe(0);
    for (let i = 0; i < 99; i++) limiter.reserve('a', 0);
    expect(limiter.tryReserveSlowMedia('b', 0)).toBe(0);
  });

  it('puts audio and video in the slow class, everything else in the standard one', () => {
    const media = (type: string) => ({ payload: { attachment: { type, payload: { url: 'https://example.com/x' } } } });
    expect(['audio', 'video', 'image', 'file'].map((type) => rateClassOf(media(type)))).toEqual([
      'slow_media',
      'slow_media',
      'standard',
      'standard',
    ]);
    expect(rateClassOf({ payload: null })).toBe('standard');
    expect(rateClassOf({ payload: { attachment: { type: 'like_heart' } } })).toBe('standard');
  });
});
