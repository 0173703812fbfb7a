import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Environment } from '@config';

/** Swagger UI's page and its assets; `/docs-json` is plain JSON and gets the API's policy. */
const SWAGGER_UI_PATH = /^\/docs(\/|$)/;

/**
 * Everything but Swagger UI answers JSON or plain text, so its pages may load
 * nothing and be framed by no one.
 */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
});

/**
 * Swagger UI loads its own scripts and styles from this origin and uses an
 * inline <style> and data: images: helmet's default policy allows exactly
 * that. `upgrade-insecure-requests` goes, or the page breaks wherever the
 * gateway is reached over plain HTTP (a laptop, a port-forward).
 */
const swaggerUiHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

const securityHeaders: RequestHandler = (req: Request, res: Response, next: NextFunction) =>
  (SWAGGER_UI_PATH.test(req.path) ? swaggerUiHeaders : apiHeaders)(req, res, next);

/**
 * Security headers on every answer, the proxy hops to believe for the client
 * address (the admin-auth throttle counts per address), and CORS only for the
 * origins the operator lists: none by default, so browsers on other sites
 * cannot call the admin API at all.
 */
export function applyHttpSecurity(
  app: NestExpressApplication,
  env: Pick<Environment, 'CORS_ORIGINS' | 'TRUST_PROXY'>,
): void {
  app.set('trust proxy', env.TRUST_PROXY);
  if (env.TRUST_PROXY === true) {
    // Express then takes the left-most X-Forwarded-For address, which any client writes itself.
    new Logger('HttpSecurity').warn(
      'TRUST_PROXY=true: the client address is the left-most X-Forwarded-For entry, which clients can set ' +
        'themselves, so the throttle of failed admin logins counts per address the client chooses. Unless every ' +
        'request passes a proxy that overwrites that header, set TRUST_PROXY to the hop count (1 for one ingress) ' +
        "or to the proxies' addresses.",
    );
  }
  app.use(securityHeaders);
  if (env.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: env.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      // The admin API authenticates with a bearer header, never a cookie.
      credentials: false,
      maxAge: 600,
    });
  }
}
