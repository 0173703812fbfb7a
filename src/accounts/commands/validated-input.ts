import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { fieldMessages } from '@http';

/**
 * Command-line input checked by the same DTO rules as the admin API, so the
 * CLI cannot store what the API would refuse. Failures list every field.
 */
export async function validatedInput<T extends object>(type: ClassConstructor<T>, plain: object): Promise<T> {
  const input = plainToInstance(type, plain);
  const errors = await validate(input, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length > 0) {
    const fields = fieldMessages(errors);
    throw new Error(`invalid input: ${Object.values(fields).join('; ')}`);
  }
  return input;
}
