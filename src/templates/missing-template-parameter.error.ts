import { DomainError } from '@common';

/** A template was sent without a value for one or more of its `{{parameters}}`: a 400 that names each one. */
export class MissingTemplateParameterError extends DomainError {
  constructor(readonly missingParameters: readonly string[]) {
    super(
      'validation_failed',
      `missing template parameter${missingParameters.length === 1 ? '' : 's'}: ${missingParameters.join(', ')}`,
      Object.fromEntries(missingParameters.map((name) => [`params.${name}`, `the template uses {{${name}}}`])),
    );
    this.name = 'MissingTemplateParameterError';
  }
}
