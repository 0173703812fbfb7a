import { Module } from '@nestjs/common';
import { ADMIN_LOGIN_LIMITS } from './admin-auth.guard';
import { FailedLoginThrottle } from './failed-login-throttle';

/**
 * Import this module into every module whose controllers carry `@AdminApi()`:
 * it holds the one counter of failed logins that all admin routes share
 * (Nest builds a guard per module, but they all count in this store).
 */
@Module({
  providers: [{ provide: FailedLoginThrottle, useFactory: () => new FailedLoginThrottle(ADMIN_LOGIN_LIMITS) }],
  exports: [FailedLoginThrottle],
})
export class AdminApiModule {}
