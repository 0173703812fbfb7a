const HOUR = 60 * 60 * 1000;

/** When access tokens are refreshed: product defaults, kept in one provider so tests can change them. */
export class TokenRefreshSettings {
  readonly checkIntervalMs: number = HOUR;
  /** Tokens that expire within this are refreshed (and counted by /health until they are). */
  readonly refreshWithinMs: number = 7 * 24 * HOUR;

  constructor(overrides: Partial<TokenRefreshSettings> = {}) {
    Object.assign(this, overrides);
  }
}
