import { newId } from '@common/ids';
import { KeyRotation } from '@crypto/key-rotation';
import { CiphertextIntegrityError } from '@crypto/token-cipher';
import type { InstagramBusinessAccount } from './account';
import type { AccountRepository } from './account.repository';
import { CredentialRotationService } from './credential-rotation.service';

describe('CredentialRotationService', () => {
  const ids = [newId(), newId(), newId(), newId()];
  const rotateCredentials = jest.fn<Promise<boolean>, [string]>();
  const accounts = {
    getAllAccounts: jest.fn(async () => ids.map((id) => ({ id }) as InstagramBusinessAccount)),
    rotateCredentials,
  } as unknown as AccountRepository;
  const service = new CredentialRotationService(accounts, new KeyRotation());

  beforeEach(() => rotateCredentials.mockReset());

  it('counts rotated and current accounts, and reports unreadable ones without stopping', async () => {
    rotateCredentials
      .mockResolvedValueOnce(true)
      .mockRejectedValueOnce(new CiphertextIntegrityError('integrity check failed'))
      .mockResolvedValueOnce(false)
      .mockResolvedValueOnce(true);
    expect(await service.rotateAll()).toEqual({ rotated: 2, alreadyCurrent: 1, unreadable: [ids[1]] });
    expect(rotateCredentials).toHaveBeenCalledTimes(4);
  });

  it('stops on any other failure (the database, say) rather than report it as unreadable', async () => {
    rotateCredentials.mockRejectedValue(new Error('connection lost'));
    await expect(service.rotateAll()).rejects.toThrow('connection lost');
  });
});
