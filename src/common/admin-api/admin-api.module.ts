import { Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';

/**
 * Import this module into every module whose controllers carry `@AdminApi()`:
 * it holds the one counter of failed logins that all admin routes share
 * (Nest builds a guard per module, but they all count in this store).
 */
@Module({
  providers: [ThrottlerStorageService],
  exports: [ThrottlerStorageService],
})
export class AdminApiModule {}
