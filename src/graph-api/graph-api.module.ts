import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule, type HttpModuleOptions } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@config';
import { GraphApi } from './graph-api';
import { HttpGraphApi } from './http-graph-api';

/** Meta answers within a second or two; ten seconds means it is not going to. */
const GRAPH_API_TIMEOUT_MS = 10_000;

/** Axios settings of every Graph API call, from the validated environment. */
export function graphApiHttpOptions(
  env: Pick<Environment, 'GRAPH_API_BASE_URL' | 'GRAPH_API_VERSION'>,
): HttpModuleOptions {
  return {
    baseURL: `${env.GRAPH_API_BASE_URL}/${env.GRAPH_API_VERSION}`,
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

/** Meta's Graph API for the whole service: inject `GraphApi`. */
@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        graphApiHttpOptions({
          GRAPH_API_BASE_URL: config.get('GRAPH_API_BASE_URL', { infer: true }),
          GRAPH_API_VERSION: config.get('GRAPH_API_VERSION', { infer: true }),
        }),
    }),
  ],
  providers: [{ provide: GraphApi, useClass: HttpGraphApi }],
  exports: [GraphApi],
})
export class GraphApiModule {}
