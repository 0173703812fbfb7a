import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { MathRandomSource, RandomSource } from './random-source';
import { ProcessRole } from './process-role';

/**
 * What every module may inject without importing anything: the clock, the
 * source of randomness and the process's role. Imported once, by the server's or the CLI's root module.
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
      ],
      exports: [ProcessRole, Clock, RandomSource],
    };
  }
}
