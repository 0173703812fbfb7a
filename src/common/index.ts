// What other modules may use of `common`; everything else in the folder is its own.
export { BackgroundLoop, nextPause } from './background-loop';
export { CliOutput } from './cli-output';
export { Clock } from './clock';
export { CommonModule } from './common.module';
export { constantTimeEquals } from './constant-time';
export { DomainError } from './domain-error';
export type { ErrorCode } from './domain-error';
export { GroupCommit, QueueOverloadedError } from './group-commit';
export type { GroupCommitLimits, ItemResult } from './group-commit';
export { ID_PATTERN, newId } from './ids';
export { LeaseOwner } from './lease-owner';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeCursor, encodeCursor, mapPage, pageOf } from './page';
export type { Page } from './page';
export { ProcessRole } from './process-role';
export { RandomSource } from './random-source';
export { PUBLIC_FIGURES_MAX_AGE_MS, RecentValue } from './recent-value';
