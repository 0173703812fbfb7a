/** Where randomness comes from (a retry's jitter): injectable, so a test can fix it and assert exact times. */
export abstract class RandomSource {
  /** A number from 0 (included) to 1 (excluded). */
  abstract fraction(): number;
}

export class MathRandomSource extends RandomSource {
  fraction(): number {
    return Math.random();
  }
}
