import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { MathRandomSource, RandomSource } from './random-source';
import { LeaseOwner } from './lease-owner';
import { ProcessRole } from './process-role';

/**
 * What every module may inject without importing anything: the clock, the
 * source of randomness, the process's role and its name on leases. Imported
 * once, by the server's or the CLI's root module.
 */
@Global()
@Module({})
export class CommonModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: ProcessRole, useValue: role },
        { provide: Clock, useClass: SystemClock },
        { provide: RandomSource, useClass: MathRandomSource },
        LeaseOwner,
      ],
      exports: [ProcessRole, Clock, RandomSource, LeaseOwner],
    };
  }
}
