import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One answer the server wrote, as the client received it. */
export interface CapturedResponse {
  method: string;
  /** The request's URL, query included, as the client sent it. */
  url: string;
  statusCode: number;
  headers: ReturnType<ServerResponse['getHeaders']>;
  body: Buffer;
}

/** Calls `onResponse` with every answer the server writes (status, headers and body), whichever client asked. */
export function onEachResponse(server: Server, onResponse: (response: CapturedResponse) => void): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    // Read now: routing rewrites `req.url` on the way through mounted middleware.
    const { method = '', url = '' } = req;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    res.on('finish', () =>
      onResponse({
        method,
        url,
        statusCode: res.statusCode,
        headers: res.getHeaders(),
        body: Buffer.concat(chunks),
      }),
    );
  });
}
