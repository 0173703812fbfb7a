import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type EncryptedRecords, KeyRotation, type KeyRotationReport } from '@crypto';
import { EventEndpointRepository } from './event-endpoint.repository';

/** The endpoints' signing secrets, re-encrypted by `rotate-keys` after the accounts' credentials. */
@Injectable()
export class EndpointSecretRotation implements EncryptedRecords, OnModuleInit {
  readonly noun = ['event endpoint', 'event endpoints'] as const;

  constructor(
    private readonly endpoints: EventEndpointRepository,
    private readonly keyRotation: KeyRotation,
  ) {}

  onModuleInit(): void {
    this.keyRotation.register(this);
  }

  rotateAll(): Promise<KeyRotationReport> {
    return this.endpoints.rotateKeys();
  }
}
