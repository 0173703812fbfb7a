import { DomainError } from '@common';

/** A webhook body that is not an Instagram notification at all: answered with 400, nothing stored. */
export class WebhookPayloadError extends DomainError {
  constructor(problem: string) {
    super('webhook_payload_invalid', `invalid webhook payload: ${problem}`);
    this.name = 'WebhookPayloadError';
  }
}
