import * as net from 'node:net';

/**
 * A TCP proxy between a test's client and the server, to stage what a network does to a real
 * client: stop reading (a frozen tab, a stalled link: the server's writes back up) or drop every
 * connection and refuse new ones for a while (Wi-Fi gone). The client and the server are the real
 * ones and do not know.
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private down = false;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | null = null;
    const server = net.createServer((client) => {
      if (!proxy || proxy.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(targetPort, targetHost);
      const pair = { client, upstream };
      proxy.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        proxy?.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open connections through the proxy. */
  get connections(): number {
    return this.pairs.size;
  }

  /** The connections open now stop reading what the server sends: it piles up in the server. */
  pauseReading(): void {
    for (const { upstream } of this.pairs) {
      upstream.unpipe();
      upstream.pause();
    }
  }

  /** What the server sent meanwhile (as far as it did not give up) flows to the clients again. */
  resumeReading(): void {
    for (const { client, upstream } of this.pairs) {
      upstream.pipe(client);
      upstream.resume();
    }
  }

  /** Drops every connection and refuses new ones until restore(). */
  cut(): void {
    this.down = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
