import { nextPause } from './background-loop';

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
