import type { Logger } from '@nestjs/common';
import type { AttemptRecord } from '../event-delivery';

export interface Delivered {
  id: string;
  attempt: AttemptRecord;
}

/**
 * Records deliveries that succeeded, together: each is added and written
 * within `flushMs`, with whatever else succeeded meanwhile, in one statement
 * (one commit), and the attempt does not wait for it, so an endpoint's slot
 * is free as soon as it has answered. Until written, a delivery stays
 * pending under this worker's lease, so nothing claims it again; if the
 * write fails, the lease runs out and it is delivered again (at least once).
 */
export class DeliveredOutcomes {
  private buffer: Delivered[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (delivered: Delivered[]) => Promise<void>,
    private readonly flushMs: number,
    private readonly logger: Logger,
  ) {}

  add(delivered: Delivered): void {
    this.buffer.push(delivered);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes what is waiting now; resolves once every write so far has ended. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const delivered = this.buffer;
    this.buffer = [];
    if (delivered.length > 0) {
      this.writing = this.writing
        .then(() => this.write(delivered))
        .catch((error: unknown) => {
          this.logger.error(
            { err: error, deliveries: delivered.length },
            'could not record delivered events; they will be delivered again',
          );
        });
    }
    return this.writing;
  }
}
