/** `messages.reaction` is a varchar(64): MySQL counts its length in characters (code points). */
export const REACTION_MAX_LENGTH = 64;

/**
 * A value from a webhook cut to what its column holds, counted in code points
 * as MySQL counts characters, so that a hostile or unusual value can never
 * make the database refuse the whole delivery again at every retry. The raw
 * delivery keeps the original.
 */
export function clipToColumn(value: string | null, maxCodePoints: number): string | null {
  if (value === null || value.length <= maxCodePoints) return value;
  const codePoints = Array.from(value);
  return codePoints.length <= maxCodePoints ? value : codePoints.slice(0, maxCodePoints).join('');
}
