import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@config';
import { DeliveryRetentionWorker } from './delivery-retention-worker';
import { TypeOrmRawDeliveryArchive } from './persistence/typeorm-raw-delivery-archive';
import { RawDeliveryArchive } from './raw-delivery-archive';
import { RetentionSettings } from './retention-settings';

/** The server's purge of raw deliveries and unroutable entries past DELIVERY_RETENTION. */
@Module({
  providers: [
    {
      provide: RetentionSettings,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        RetentionSettings.fromEnvironment({ DELIVERY_RETENTION: config.get('DELIVERY_RETENTION', { infer: true }) }),
    },
    { provide: RawDeliveryArchive, useClass: TypeOrmRawDeliveryArchive },
    DeliveryRetentionWorker,
  ],
})
export class RetentionModule {}
