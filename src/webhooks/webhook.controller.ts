import { Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Metrics } from '@metrics';
import { failedDeliveryResult, storedDeliveryResult } from './delivery-result';
import { MessageReceiver } from './message-receiver';
import { SubscriptionVerifier } from './subscription-verifier';

type HubQuery = Record<string, unknown>;
/** A webhook request as the intake's admission (configure-app) left it: with the time it arrived. */
export type WebhookRequest = Request & { accountId?: string; id?: unknown; intakeArrivedAt?: number };

const EVENT_RECEIVED = 'EVENT_RECEIVED';

/** Meta's webhook routes: authenticated by verify token and signature, not by the admin token. */
@ApiExcludeController()
@Controller('webhooks/instagram')
export class WebhookController {
  constructor(
    private readonly verifier: SubscriptionVerifier,
    private readonly receiver: MessageReceiver,
    private readonly metrics: Metrics,
  ) {}

  @Get(':accountId')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  verifyAccount(@Param('accountId') accountId: string, @Query() query: HubQuery): Promise<string> {
    return this.verifier.verifySubscription(accountId, query);
  }

  /** `?account_id=` addresses one account; without it, the verify token of any active account is accepted. */
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  verify(@Query() query: HubQuery): Promise<string> {
    const accountId = query.account_id;
    return typeof accountId === 'string'
      ? this.verifier.verifySubscription(accountId, query)
      : this.verifier.verifySharedSubscription(query);
  }

  @Post(':accountId')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async receiveForAccount(@Param('accountId') accountId: string, @Req() req: WebhookRequest): Promise<string> {
    req.accountId = accountId;
    return this.intake(accountId, req);
  }

  @Post()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async receive(@Query('account_id') accountId: unknown, @Req() req: WebhookRequest): Promise<string> {
    if (typeof accountId === 'string') req.accountId = accountId;
    return this.intake(typeof accountId === 'string' ? accountId : null, req);
  }

  /** Hands the delivery to the receiver and counts what became of it. */
  private async intake(accountId: string | null, req: WebhookRequest): Promise<string> {
    try {
      const summary = await this.receiver.receiveWebhook(
        accountId,
        rawBodyOf(req),
        req.headers['x-hub-signature-256'],
        { id: typeof req.id === 'string' ? req.id : null, arrivedAt: req.intakeArrivedAt ?? performance.now() },
      );
      this.metrics.webhookDelivery(storedDeliveryResult(summary));
      return EVENT_RECEIVED;
    } catch (error) {
      this.metrics.webhookDelivery(failedDeliveryResult(error));
      throw error;
    }
  }
}

/** The raw parser on /webhooks leaves a Buffer; a request without a body leaves an empty object. */
function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
