// What other modules may use of `retention`; everything else in the folder is its own.
export { RetentionModule } from './retention.module';
