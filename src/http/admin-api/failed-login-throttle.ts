/** Failed admin logins of one client address in the current window. */
interface AddressRecord {
  failures: number;
  windowEndsAt: number;
  /** 0 while the address is not blocked. */
  blockedUntil: number;
}

export interface ThrottleLimits {
  /** Failures allowed within one window; the next one blocks the address. */
  maxFailures: number;
  windowMs: number;
  blockMs: number;
  /** Addresses remembered at most; beyond it the oldest record is forgotten. */
  maxAddresses: number;
}

export interface FailureVerdict {
  /** Milliseconds until the address may try again; 0 when it is not blocked. */
  blockedForMs: number;
  /** This failure is the one that blocked the address (log it once, not on every refusal). */
  justBlocked: boolean;
}

/**
 * Counts failed admin logins per client address and blocks an address that
 * fails too often, in memory, per replica. The number of addresses kept is
 * bounded: behind a proxy that lets clients choose their X-Forwarded-For,
 * every invented address would otherwise add a record for good. Records are
 * kept in the order they were made and every window lasts as long, so expired
 * records gather at the front: they are dropped from there as new ones come,
 * and when the store is full the oldest goes, blocked or not.
 */
export class FailedLoginThrottle {
  private readonly records = new Map<string, AddressRecord>();

  constructor(private readonly limits: ThrottleLimits) {}

  /** Milliseconds until `address` may try again (whatever it presents); 0 when it may now. */
  blockedFor(address: string, now: number): number {
    const record = this.records.get(address);
    return record && record.blockedUntil > now ? record.blockedUntil - now : 0;
  }

  recordFailure(address: string, now: number): FailureVerdict {
    const record = this.currentRecord(address, now);
    if (record.blockedUntil > now) return { blockedForMs: record.blockedUntil - now, justBlocked: false };
    record.failures += 1;
    if (record.failures <= this.limits.maxFailures) return { blockedForMs: 0, justBlocked: false };
    record.blockedUntil = now + this.limits.blockMs;
    return { blockedForMs: this.limits.blockMs, justBlocked: true };
  }

  /** Addresses remembered now (at most `maxAddresses`). */
  get size(): number {
    return this.records.size;
  }

  /** The address's record for the window that `now` is in: a new one when it had none, or its last has ended. */
  private currentRecord(address: string, now: number): AddressRecord {
    const existing = this.records.get(address);
    if (existing && !this.hasExpired(existing, now)) return existing;
    this.records.delete(address);
    this.makeRoom(now);
    const record: AddressRecord = { failures: 0, windowEndsAt: now + this.limits.windowMs, blockedUntil: 0 };
    this.records.set(address, record);
    return record;
  }

  private makeRoom(now: number): void {
    for (const [address, record] of this.records) {
      if (this.records.size < this.limits.maxAddresses && !this.hasExpired(record, now)) return;
      this.records.delete(address);
    }
  }

  private hasExpired(record: AddressRecord, now: number): boolean {
    return record.windowEndsAt <= now && record.blockedUntil <= now;
  }
}
