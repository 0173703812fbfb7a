import type { TestingModuleBuilder } from '@nestjs/testing';
import { BackfillSettings } from '@messaging/backfill/backfill-settings';

/**
 * For `startTestApp(..., configure)`: backfill jobs claimed within
 * milliseconds, with Meta's real pacing of 2 calls per second (what the
 * tests check), and a short lease for the tests of a process that dies.
 */
export function fastBackfill(settings: Partial<BackfillSettings> = {}) {
  return (builder: TestingModuleBuilder): TestingModuleBuilder =>
    builder
      .overrideProvider(BackfillSettings)
      .useValue(new BackfillSettings({ pollIntervalMs: 25, idlePollMaxMs: 25, leaseMs: 3000, ...settings }));
}
