import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST an endpoint received, with what checking its signature found. */
export interface ReceivedEvent {
  at: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Which of the receiver's secrets verified it (Standard Webhooks' own verifier); empty: none did. */
  verifiedBy: string[];
  /** The parsed body: `{type, timestamp, data}`. */
  event: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** How the receiver answers: a status and headers, after an optional delay, or never (`hang`). */
export interface ReceiverAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  hang?: boolean;
}

/**
 * A business's receiver, as the README tells one to write it: a real HTTP
 * server on 127.0.0.1 that verifies every delivery with the maintained
 * `standardwebhooks` package (the verifier Svix's library wraps), against
 * each secret it trusts for the path, and answers 204 unless a test scripts
 * otherwise (scripted answers apply to whichever path is called next).
 */
export class EventReceiver {
  readonly received: ReceivedEvent[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly scripted: ReceiverAnswer[] = [];
  private always: ReceiverAnswer | null = null;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<EventReceiver> {
    const server = createServer();
    const receiver = new EventReceiver(server);
    server.on('request', (req, res) => void receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path = '/hooks'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The secrets the deliveries to `path` are checked against (say, a rotation's new and previous one). */
  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  answerOnce(...answers: ReceiverAnswer[]): void {
    this.scripted.push(...answers);
  }

  answerAlways(answer: ReceiverAnswer | null): void {
    this.always = answer;
  }

  /** What reached `path`, optionally of one type only, in the order it came. */
  at(path: string, type?: string): ReceivedEvent[] {
    return this.received.filter((r) => r.path === path && (type === undefined || r.event.type === type));
  }

  reset(): void {
    this.received.length = 0;
    this.scripted.length = 0;
    this.always = null;
    this.releaseHanging();
  }

  /** Ends the requests it never answered. */
  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const verifiedBy = (this.secrets.get(req.url ?? '') ?? []).filter((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    this.received.push({
      at: Date.now(),
      path: req.url ?? '',
      headers,
      body,
      verifiedBy,
      event: JSON.parse(body) as ReceivedEvent['event'],
    });
    const answer = this.scripted.shift() ?? this.always ?? { status: 204 };
    if (answer.hang) {
      this.hanging.add(res);
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    res.writeHead(answer.status ?? 204, answer.headers ?? {});
    res.end(answer.body ?? '');
  }
}
