import { ValidateBy, type ValidationOptions } from 'class-validator';
import { TEXT_COLUMN_MAX_BYTES } from '@database';

/** The bytes a value takes in a JSON (`simple-json`) column: its JSON text, escapes included, as UTF-8. */
export function storedJsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * The value, as stored (`toStored` maps a request's shape to the stored
 * one), fits the `TEXT` column that keeps it as JSON. Each item can be
 * within its own limits while all of them together are not.
 */
export function FitsJsonTextColumn(options: ValidationOptions, toStored: (value: never) => unknown = (value) => value) {
  return ValidateBy(
    {
      name: 'fitsJsonTextColumn',
      constraints: [TEXT_COLUMN_MAX_BYTES],
      validator: {
        validate: (value: unknown) => {
          let stored: unknown;
          try {
            stored = toStored(value as never);
          } catch {
            // Items too malformed to map are refused by their own rules, which run beside this one.
            return true;
          }
          return storedJsonBytes(stored) <= TEXT_COLUMN_MAX_BYTES;
        },
      },
    },
    options,
  );
}
