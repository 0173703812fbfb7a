import { request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** An array value sends the header once per element. */
  headers?: OutgoingHttpHeaders;
  /** Sent one write each, without a Content-Length (chunked) unless the headers give one. */
  chunks?: Buffer[];
  /** Fail instead of waiting longer than this for the answer. */
  timeoutMs?: number;
  /** The client address to connect from (any 127.x.y.z reaches a server on 127.0.0.1), to act as another client. */
  localAddress?: string;
}

/**
 * One HTTP request over a plain socket to a listening server, for what
 * supertest cannot express: a chunked body without Content-Length, a
 * header sent twice, or another client address. The server stops reading when it answers early (413),
 * so a refused upload ends with the answer rather than an error.
 */
export function rawRequest(
  server: Server,
  { method = 'POST', path, headers = {}, chunks = [], timeoutMs = 20_000, localAddress }: RawRequest,
) {
  const { port } = server.address() as AddressInfo;
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, localAddress }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(parts).toString('utf8'),
        }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket after answering while the body is still being written.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
