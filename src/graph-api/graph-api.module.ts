import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule, type HttpModuleOptions } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@config';
import { GraphApiHosts } from './account-request';
import { GraphApi } from './graph-api';
import { HttpGraphApi } from './http-graph-api';

/** Meta answers within a second or two; ten seconds means it is not going to. */
const GRAPH_API_TIMEOUT_MS = 10_000;

/** Axios settings of every Graph API call; each call names its host (`GraphApiHosts`). */
export function graphApiHttpOptions(): HttpModuleOptions {
  return {
    timeout: GRAPH_API_TIMEOUT_MS,
    // A redirect would carry the bearer token to wherever it points; Meta's API does not redirect.
    maxRedirects: 0,
    maxContentLength: 1024 * 1024,
    headers: { Accept: 'application/json' },
    // Connections to Meta are kept and reused: a TLS handshake per send would cost more than the send.
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
  };
}

/** Both Graph API hosts under the one configured version, from the validated environment. */
export function graphApiHosts(
  env: Pick<Environment, 'GRAPH_API_BASE_URL' | 'FACEBOOK_GRAPH_API_BASE_URL' | 'GRAPH_API_VERSION'>,
): GraphApiHosts {
  return new GraphApiHosts(
    `${env.GRAPH_API_BASE_URL}/${env.GRAPH_API_VERSION}`,
    `${env.FACEBOOK_GRAPH_API_BASE_URL}/${env.GRAPH_API_VERSION}`,
  );
}

/** Meta's Graph API for the whole service: inject `GraphApi`. */
@Module({
  imports: [HttpModule.registerAsync({ useFactory: graphApiHttpOptions })],
  providers: [
    {
      provide: GraphApiHosts,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        graphApiHosts({
          GRAPH_API_BASE_URL: config.get('GRAPH_API_BASE_URL', { infer: true }),
          FACEBOOK_GRAPH_API_BASE_URL: config.get('FACEBOOK_GRAPH_API_BASE_URL', { infer: true }),
          GRAPH_API_VERSION: config.get('GRAPH_API_VERSION', { infer: true }),
        }),
    },
    { provide: GraphApi, useClass: HttpGraphApi },
  ],
  exports: [GraphApi],
})
export class GraphApiModule {}
