import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { endpointUrlProblem, isPublicAddress } from '../endpoint-address';

/** How one POST to an endpoint went. */
export type PostOutcome =
  | { kind: 'answered'; status: number; retryAfter: string | undefined; excerpt: string; durationMs: number }
  | { kind: 'failed'; error: string; durationMs: number };

/** Of a refused answer's body, this much is kept in the delivery's `lastError` for the operator. */
const EXCERPT_BYTES = 200;

class PrivateAddressError extends Error {
  readonly code = 'EPRIVATE';
}

/**
 * The DNS lookup of every connection: a name that resolves to an address
 * a delivery may not use fails the connection, so the check is made on the
 * very address that is connected to, at each new connection (DNS can
 * change after the endpoint was saved).
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (!allowPrivate && refused) {
        return callback(new PrivateAddressError(`${hostname} resolves to a private address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs event deliveries: connections kept alive and reused (per host, up
 * to the per-endpoint concurrency), an answer within `timeoutMs` or the
 * attempt has failed, redirects not followed (a 3xx is a failure), and the
 * address checked at each connection unless private ones are allowed.
 * Only a short excerpt of an answer's body is read.
 */
export class EndpointHttpClient {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly lookup: LookupFunction;

  constructor(
    private readonly allowPrivate: boolean,
    private readonly timeoutMs: number,
    maxSocketsPerHost: number,
  ) {
    this.lookup = checkedLookup(allowPrivate);
    const agentOptions = { keepAlive: true, maxSockets: maxSocketsPerHost, lookup: this.lookup };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const problem = endpointUrlProblem(url, this.allowPrivate);
    if (problem) return { kind: 'failed', error: `not sent: the URL ${problem}`, durationMs: 0 };
    try {
      const answer = await this.send(new URL(url), headers, Buffer.from(body, 'utf8'));
      return { kind: 'answered', ...answer, durationMs: elapsed() };
    } catch (error) {
      return { kind: 'failed', error: describe(error, this.timeoutMs), durationMs: elapsed() };
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private send(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; retryAfter: string | undefined; excerpt: string }> {
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: https ? this.httpsAgent : this.httpAgent,
        lookup: this.lookup,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': 'instagram-dm-gateway',
          ...headers,
        },
      });
      const timer = setTimeout(() => request.destroy(new TimeoutError()), this.timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.on('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept >= EXCERPT_BYTES || status < 300) return;
          chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
          kept += Math.min(chunk.length, EXCERPT_BYTES - kept);
        });
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({ status, retryAfter, excerpt: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      request.end(body);
    });
  }
}

class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** What an operator is told of a failed connection: never a header or the body. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  if (error instanceof PrivateAddressError) {
    return `not sent: ${error.message} (EVENT_ENDPOINTS_ALLOW_PRIVATE)`;
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? `connection failed: ${code}` : 'connection failed';
}
