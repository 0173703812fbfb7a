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

/** A string of `min` to `max` code points. Anything but a string fails too; check the type first for its own message. */
export function CodePointLength(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = codePointLength(value);
          return length >= min && length <= max;
        },
      },
    },
    options,
  );
}

/** A string of `min` to `max` bytes of UTF-8, as Meta counts a message's text. */
export function Utf8ByteLength(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'utf8ByteLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const bytes = Buffer.byteLength(value, 'utf8');
          return bytes >= min && bytes <= max;
        },
      },
    },
    options,
  );
}
