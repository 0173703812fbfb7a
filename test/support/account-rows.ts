import type { DataSource } from 'typeorm';
import { newId } from '@common/ids';
import { currentManager } from '@database/transactor';
import { newIgUserId } from './factories';

/**
 * An account row written straight into `accounts`, for adapter tests below
 * the repositories (its credentials are placeholders no cipher can read).
 * Inside a transaction it is written through the transaction's connection.
 */
export function insertAccountRow(
  dataSource: DataSource,
  fields: { id?: string; username?: string; igUserId?: string } & Record<string, unknown> = {},
) {
  const now = new Date();
  const id = fields.id ?? newId();
  return currentManager(dataSource)
    .getRepository('AccountEntity')
    .insert({
      username: `shop_${id.slice(-12)}`,
      igUserId: newIgUserId(),
      accessTokenCiphertext: 'c',
      appSecretCiphertext: 'c',
      verifyTokenCiphertext: 'c',
      isActive: true,
      tokenStatus: 'unknown',
      rulesVersion: 0,
      createdAt: now,
      updatedAt: now,
      ...fields,
      id,
    });
}
