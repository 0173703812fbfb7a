import { Logger } from '@nestjs/common';
import { BackgroundLoop, nextPause } from './background-loop';

describe('nextPause', () => {
  it('doubles while rounds find nothing, up to the maximum, and is back to the base once one does', () => {
    const pauses: number[] = [];
    let pause = 10;
    for (const found of [0, 0, 0, 0, 3, 0]) {
      pause = nextPause(pause, found, 10, 40);
      pauses.push(pause);
    }
    expect(pauses).toEqual([20, 40, 40, 40, 10, 20]);
  });

  it('keeps the base for rounds that answer nothing countable', () => {
    expect(nextPause(40, undefined, 10, 40)).toBe(10);
  });
});

describe('BackgroundLoop', () => {
  const logger = new Logger('test');

  it('runs a round at once when woken, however long its sleep, and stops', async () => {
    let rounds = 0;
    let roundDone!: () => void;
    const loop = new BackgroundLoop(
      logger,
      async () => {
        rounds += 1;
        roundDone();
        return 1;
      },
      60_000,
    );
    const first = new Promise<void>((resolve) => (roundDone = resolve));
    loop.start(60_000);
    loop.wake();
    await first;
    expect(rounds).toBe(1);
    const second = new Promise<void>((resolve) => (roundDone = resolve));
    loop.wake();
    await second;
    expect(rounds).toBe(2);
    await loop.stop();
  });
});
