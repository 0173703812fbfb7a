import type { NestExpressApplication } from '@nestjs/platform-express';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ConfigService } from '@nestjs/config';
import {
  errorBodyOf,
  retryAfterOf,
  applyHttpSecurity,
  assertUtf8JsonBody,
  JSON_BODY_METHODS,
  refuseUnsafeJsonBodies,
  createValidationPipe,
} from '@http';
import type { Environment } from '@config';
import { requestIdOf } from '@logging';
import { Metrics } from '@metrics';
import { createOpenApiDocument } from '@openapi';
import { MessageReceiver, type WebhookRequest, assertUtf8Body } from '@webhooks';

/** Meta's deliveries can batch many entries; anything larger is refused with 413 before it is read further. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Admin API JSON bodies: a rule, a template or a message is a few KiB at most. */
export const ADMIN_BODY_LIMIT = 256 * 1024;

/**
 * HTTP set-up shared by the server and the e2e tests (both create the app
 * with `bodyParser: false`), so tests exercise what runs in production.
 * Returns the OpenAPI document it serves at `/docs-json`.
 */
export function configureApp(app: NestExpressApplication): OpenAPIObject {
  // Signals are main.ts's business (exitGracefullyOnSignals): tests close their apps themselves.
  app.use((req: Request, res: Response, next: NextFunction) => {
    requestIdOf(req as Request & { id?: string }, res);
    next();
  });
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  applyHttpSecurity(app, {
    CORS_ORIGINS: config.get('CORS_ORIGINS', { infer: true }),
    TRUST_PROXY: config.get('TRUST_PROXY', { infer: true }),
  });
  // An overloaded intake refuses a delivery before reading it: the refusal must cost less than the work.
  const receiver = app.get(MessageReceiver);
  const metrics = app.get(Metrics);
  app.use('/webhooks', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const arrivedAt = performance.now();
    let release: (() => void) | null = null;
    res.once('close', () => {
      release?.();
      // A request whose caller went away before its answer was not answered.
      if (res.writableFinished) metrics.webhookAnswered(res.statusCode, (performance.now() - arrivedAt) / 1000);
    });
    try {
      release = receiver.admit(Number(req.headers['content-length'] ?? 0) || 0, arrivedAt).release;
      (req as WebhookRequest).intakeArrivedAt = arrivedAt;
      next();
    } catch (error) {
      next(error);
    }
  });
  // Webhooks keep the exact bytes for the signature check; they are parsed only after it. Like an
  // oversized body, one that is not UTF-8 (so not JSON) is refused while it is read.
  app.use(
    '/webhooks',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT, verify: (_req, _res, body) => assertUtf8Body(body) }),
  );
  app.use(
    express.json({
      limit: ADMIN_BODY_LIMIT,
      verify: assertUtf8JsonBody,
      type: (req) => JSON_BODY_METHODS.has(req.method ?? '') && Boolean((req as Request).is('application/json')),
    }),
  );
  app.use(refuseUnsafeJsonBodies);
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const body = errorBodyOf(error, String((req as Request & { id?: string }).id ?? ''));
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(createValidationPipe());
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return document;
}
