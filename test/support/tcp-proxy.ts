import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP forwarder on loopback for outage tests: clients connect to `port`, bytes flow to the target.
 * `cut()` kills every open connection and drops each new one at once (the peer sees a reset),
 * `restore()` forwards again. The listening port stays the same throughout.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  /** Connections accepted while forwarding, and while cut (each dropped at once). */
  readonly counts = { forwarded: 0, refused: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, targetHost, targetPort));
    return proxy;
  }

  get cutOff(): boolean {
    return this.isCut;
  }

  /** Destroys every open connection (both sides) and refuses new ones until `restore()`. */
  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) {
      // A reset (not a graceful FIN) is what a dead network path looks like to the client.
      if (socket.connecting) socket.destroy();
      else socket.resetAndDestroy();
    }
    this.sockets.clear();
  }

  restore(): void {
    this.isCut = false;
  }

  /** Stops listening and destroys every connection still open. */
  async close(): Promise<void> {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (!this.server.listening) return;
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private accept(client: Socket, targetHost: string, targetPort: number): void {
    client.on('error', () => undefined);
    if (this.isCut) {
      this.counts.refused++;
      client.resetAndDestroy();
      return;
    }
    this.counts.forwarded++;
    const upstream = createConnection({ host: targetHost, port: targetPort });
    upstream.on('error', () => undefined);
    const pair = [client, upstream];
    const drop = () => {
      for (const socket of pair) {
        socket.destroy();
        this.sockets.delete(socket);
      }
    };
    for (const socket of pair) {
      this.sockets.add(socket);
      socket.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
