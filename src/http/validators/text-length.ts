import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The length of a text as the database counts it: code points, which is what
 * a MySQL `VARCHAR(n)` holds n of (and what JSON Schema's `maxLength`
 * counts). UTF-16 length and validator.js' `isLength` (which skips variation
 * selectors such as U+FE0F) both disagree with it.
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _codePoint of text) length += 1;
  return length;
}

/** A string whose `measure` is `min` to `max`. Anything but a string fails too; check the type first for its own message. */
function MeasuredLength(
  name: string,
  measure: (text: string) => number,
  min: number,
  max: number,
  options: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = measure(value);
          return length >= min && length <= max;
        },
      },
    },
    options,
  );
}

/** A string of `min` to `max` code points. */
export function CodePointLength(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return MeasuredLength('codePointLength', codePointLength, min, max, options);
}

/** A string of `min` to `max` bytes of UTF-8, as Meta counts a message's text. */
export function Utf8ByteLength(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return MeasuredLength('utf8ByteLength', (text) => Buffer.byteLength(text, 'utf8'), min, max, options);
}
