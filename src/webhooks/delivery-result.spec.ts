import { DomainError } from '@common/domain-error';
import { failedDeliveryResult, storedDeliveryResult } from './delivery-result';
import { WebhookPayloadError } from './parsing/webhook-payload.error';

const summary = (stored: number, duplicates: number, unroutable: number) => ({
  stored,
  duplicates,
  unroutable,
});

describe('storedDeliveryResult', () => {
  it.each([
    [summary(1, 0, 0), 'accepted'],
    [summary(2, 3, 0), 'accepted'],
    [summary(0, 0, 0), 'accepted'],
    [summary(0, 2, 0), 'duplicate'],
    [summary(1, 1, 1), 'unroutable'],
    [summary(0, 0, 1), 'unroutable'],
  ])('%o is %s', (intake, result) => {
    expect(storedDeliveryResult(intake)).toBe(result);
  });
});

describe('failedDeliveryResult', () => {
  it.each([
    [new DomainError('signature_invalid', 'x'), 'bad_signature'],
    [new DomainError('account_not_found', 'x'), 'unknown_account'],
    [new WebhookPayloadError('not JSON'), 'invalid_payload'],
    [new DomainError('intake_overloaded', 'x'), 'overloaded'],
    [new DomainError('database_unavailable', 'x'), 'error'],
    [new Error('connection lost'), 'error'],
  ])('%p is %s', (error, result) => {
    expect(failedDeliveryResult(error)).toBe(result);
  });
});
