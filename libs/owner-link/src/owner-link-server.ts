import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DEFAULT_MAX_FRAME_BYTES, positiveLimit } from './frames';
import { ConnectionLimits, LinkHandler, ServerConnection } from './server-connection';

export interface OwnerLinkServerOptions {
  /** e.g. '127.0.0.1' or '0.0.0.0'. */
  host: string;
  /** 0 asks for a free port; listen() says which. */
  port: number;
  /** Its result is the answer; a rejection becomes an error answer (LinkError 'remote' at the client). */
  handle: LinkHandler;
  /** Default 2_000: past it the server stops reading that socket until answers drain below half (TCP backpressure). */
  maxPendingPerConnection?: number;
  /** Default 1 MiB: a longer line, or an unfinished one already longer, closes the connection. */
  maxFrameBytes?: number;
  /** Default 8 MiB of unsent output per connection: past it pushes are dropped and reading pauses; answers are always written. */
  maxOutputBytes?: number;
  /** A secret every request must carry (the clients' `secret`): anyone who can reach the port is not trusted by default. */
  secret?: string;
  /** Where bugs of our own callers (a throwing close listener) are reported; console.error by default. */
  log?: (line: string) => void;
}

export const DEFAULT_CLOSE_GRACE_MS = 5_000;

/**
 * Accepts gateways' connections and answers their requests with `handle`. Framework-free on purpose: the app wires it
 * to whatever submits commands to the partitions it owns.
 */
export class OwnerLinkServer {
  private readonly server: Server;
  private readonly peers = new Set<ServerConnection>();
  private readonly limits: ConnectionLimits;
  private nextPeerId = 1;
  private closing?: Promise<void>;

  constructor(private readonly options: OwnerLinkServerOptions) {
    this.limits = {
      maxPending: positiveLimit('maxPendingPerConnection', options.maxPendingPerConnection, 2_000),
      maxFrameBytes: positiveLimit('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES),
      maxOutputBytes: positiveLimit('maxOutputBytes', options.maxOutputBytes, 8 * 1024 * 1024),
      secret: options.secret ? Buffer.from(options.secret, 'utf8') : undefined,
    };
    this.server = createServer((socket) => this.accept(socket));
    // Accept errors (EMFILE and the like) must not end the process; listen() reports its own failure.
    this.server.on('error', () => undefined);
  }

  /** The bound address: the real port when 0 was asked. Rejects when the port cannot be bound (EADDRINUSE). */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.server.once('error', failed);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', failed);
        const address = this.server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  get connections(): number {
    return this.peers.size;
  }

  /**
   * Stops accepting and stops reading requests; waits (at most graceMs in all) for the answers of requests already
   * being handled to be written, then closes every connection. Requests sent but not yet read are left unhandled:
   * their senders see 'closed' and may retry elsewhere.
   */
  close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
    this.closing ??= this.shutDown(graceMs);
    return this.closing;
  }

  private async shutDown(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    const peers = [...this.peers];
    // Resolves once the listener is gone (at once, with an error we do not need, if it never listened) and every
    // connection closed, as our peers see it: the net server's own count may reach 0 a tick earlier.
    const listenerClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const allClosed = Promise.all([listenerClosed, ...peers.map((peer) => new Promise<void>((resolve) => peer.onClose(resolve)))]);
    for (const peer of peers) peer.stopReading();
    await beforeDeadline(Promise.all(peers.map((peer) => peer.whenIdle())), deadline);
    for (const peer of peers) peer.end();
    await beforeDeadline(allClosed, deadline);
    for (const peer of peers) peer.destroy();
    await allClosed;
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    const peer = new ServerConnection(this.nextPeerId++, socket, this.options.handle, this.limits, this.options.log ?? console.error);
    this.peers.add(peer);
    peer.onClose(() => this.peers.delete(peer));
  }
}

/** Waits for `promise`, but not past `deadline` (epoch ms); never rejects. */
async function beforeDeadline(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    await Promise.race([promise.then(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
