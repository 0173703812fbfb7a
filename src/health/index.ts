// What other modules may use of `health`; everything else in the folder is its own.
export { HealthModule } from './health.module';
