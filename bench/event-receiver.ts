import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The business's receiver in the bench: answers every event 204 at once and counts them. */
export class BenchEventReceiver {
  received = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<BenchEventReceiver> {
    const server = createServer();
    const receiver = new BenchEventReceiver(server);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        receiver.received += 1;
        res.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
