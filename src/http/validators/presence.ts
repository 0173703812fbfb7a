import { IsDefined, ValidateIf, type ValidationArguments } from 'class-validator';

/**
 * Whether a field must be sent. Required: missing or null is refused as such
 * ("is required"), before any rule about its value can say something
 * misleading. Optional (a PUT): leaving it out keeps what is stored, and the
 * field's rules apply to anything sent, null included, so null is refused by
 * them unless the field accepts it.
 */
export function presence(optional: boolean): PropertyDecorator {
  return optional
    ? ValidateIf((_object, value) => value !== undefined)
    : IsDefined({
        message: ({ property, value }: ValidationArguments) =>
          value === null ? `${property} must not be null` : `${property} is required`,
      });
}
