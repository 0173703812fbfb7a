import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PUBLIC_FIGURES_MAX_AGE_MS, RecentValue } from '@common';
import { type OutboxBacklog, OutboxRepository } from '@messaging';

/**
 * The outbox backlog, as an operator should know it. Reported, never failed
 * on: a backlog is no reason to restart a replica or take it out of the load
 * balancer. Counting it scans the backlog, so a figure a few seconds old is
 * served to anyone who asks in between.
 */
@Injectable()
export class MessagingHealthIndicator {
  private readonly backlogFigures: RecentValue<OutboxBacklog>;

  constructor(
    private readonly indicator: HealthIndicatorService,
    outbox: OutboxRepository,
  ) {
    this.backlogFigures = new RecentValue(PUBLIC_FIGURES_MAX_AGE_MS, () => outbox.backlog());
  }

  async backlog(key = 'outbox') {
    const check = this.indicator.check(key);
    try {
      return check.up({ ...(await this.backlogFigures.get()) });
    } catch {
      return check.down({ message: 'the outbox cannot be read' });
    }
  }
}
