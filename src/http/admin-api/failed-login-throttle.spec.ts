import { FailedLoginThrottle } from './failed-login-throttle';

const limits = { maxFailures: 3, windowMs: 60_000, blockMs: 30_000, maxAddresses: 5 };

describe('FailedLoginThrottle', () => {
  it('blocks an address at the failure after the allowed ones, for blockMs, and tells once', () => {
    const throttle = new FailedLoginThrottle(limits);
    for (let i = 0; i < 3; i++)
      expect(throttle.recordFailure('a', 1000 + i)).toEqual({ blockedForMs: 0, justBlocked: false });
    expect(throttle.blockedFor('a', 1003)).toBe(0);
    expect(throttle.recordFailure('a', 1003)).toEqual({ blockedForMs: 30_000, justBlocked: true });
    expect(throttle.blockedFor('a', 1004)).toBe(29_999);
    expect(throttle.recordFailure('a', 2003)).toEqual({ blockedForMs: 29_000, justBlocked: false });
    expect(throttle.blockedFor('b', 1004)).toBe(0);
  });

  it('lets the address try again once the block is over, with a fresh count', () => {
    const throttle = new FailedLoginThrottle({ ...limits, windowMs: 10_000 });
    for (let i = 0; i < 4; i++) throttle.recordFailure('a', 0);
    expect(throttle.blockedFor('a', 29_999)).toBe(1);
    expect(throttle.blockedFor('a', 30_000)).toBe(0);
    expect(throttle.recordFailure('a', 30_000)).toEqual({ blockedForMs: 0, justBlocked: false });
  });

  it('counts failures within one window only', () => {
    const throttle = new FailedLoginThrottle(limits);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 0);
    expect(throttle.recordFailure('a', 60_000)).toEqual({ blockedForMs: 0, justBlocked: false });
  });

  it('remembers at most maxAddresses, forgetting expired records first and then the oldest', () => {
    const throttle = new FailedLoginThrottle(limits);
    for (let i = 0; i < 1000; i++) throttle.recordFailure(`203.0.113.${i}`, i);
    expect(throttle.size).toBe(5);

    // When the store is full the oldest record goes, blocked or not: the cap bounds memory first.
    const blocked = new FailedLoginThrottle(limits);
    for (let i = 0; i < 4; i++) blocked.recordFailure('blocked', 0);
    for (let i = 0; i < 4; i++) blocked.recordFailure(`spoofed-${i}`, 1);
    expect(blocked.blockedFor('blocked', 2)).toBeGreaterThan(0);
    blocked.recordFailure('spoofed-4', 1);
    expect(blocked.size).toBe(5);
    expect(blocked.blockedFor('blocked', 2)).toBe(0);

    // Once records have expired, a new address takes their room rather than a live record's.
    const expiring = new FailedLoginThrottle(limits);
    for (let i = 0; i < 5; i++) expiring.recordFailure(`old-${i}`, 0);
    expiring.recordFailure('live', 50_000);
    expiring.recordFailure('new', 60_000);
    expect(expiring.size).toBe(2);
  });
});
