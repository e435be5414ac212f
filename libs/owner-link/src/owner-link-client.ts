import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FrameWriter } from './frame-writer';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, orNull, parseServerFrame, positiveLimit } from './frames';
import { LineSplitter, OVERSIZED } from './line-splitter';
import { LinkError, LinkErrorReason } from './link-error';

export interface OwnerLinkClientOptions {
  host: string;
  port: number;
  /** Default 5_000: past it request() rejects at once with LinkError('overloaded') rather than queueing. */
  maxInFlight?: number;
  /** Default 1_000. */
  connectTimeoutMs?: number;
  /** Default 1 MiB, as the server's: a longer request is refused at once, a longer incoming line closes the connection. */
  maxFrameBytes?: number;
  /** `frameChars`: the length of the frame that carried it (UTF-16 units; bytes for ASCII), for whoever counts traffic. */
  onPush?(body: unknown, frameChars: number): void;
  /** Called once per established connection that closed, for any reason (not for failed connects). */
  onDisconnect?(): void;
  /** The server's `secret`, sent with every request. */
  secret?: string;
  /** Where bugs of our own callers (a throwing onPush or onDisconnect) are reported; console.error by default. */
  log?: (line: string) => void;
}

interface Pending {
  resolve(answer: unknown): void;
  reject(error: LinkError): void;
  /** performance.now() past which it fails with 'timeout'. */
  deadline: number;
  /** The frame, kept until the connection it waits for is made. */
  line?: string;
}

/** How often deadlines are checked: a timeout fires up to this late, for one cheap timer instead of one per request. */
const SWEEP_MS = 25;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The gateway's end of a link to one owner. Connects lazily on first use and again on the next request after a close
 * (no background reconnect loop: an owner that is gone is the router's business). Requests made while connecting wait
 * for it. Pipelined: many requests in flight on one connection, answered in any order.
 */
export class OwnerLinkClient {
  private readonly maxInFlight: number;
  private readonly connectTimeoutMs: number;
  private readonly maxFrameBytes: number;
  /** Every request not yet settled, those waiting for the connection included: all belong to the current socket. */
  private readonly pending = new Map<number, Pending>();
  private socket?: Socket;
  private writer?: FrameWriter;
  private nextId = 1;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly options: OwnerLinkClientOptions) {
    this.maxInFlight = positiveLimit('maxInFlight', options.maxInFlight, 5_000);
    this.connectTimeoutMs = positiveLimit('connectTimeoutMs', options.connectTimeoutMs, 1_000);
    this.maxFrameBytes = positiveLimit('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES);
  }

  get connected(): boolean {
    return this.writer !== undefined;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** The answer; rejects with a LinkError saying whether the request may have been handled (see LinkErrorReason). */
  request(body: unknown, timeoutMs: number): Promise<unknown> {
    if (!(timeoutMs > 0)) return Promise.reject(new LinkError('invalid', `timeoutMs must be a positive number, got ${timeoutMs}`));
    if (this.pending.size >= this.maxInFlight) return Promise.reject(new LinkError('overloaded', `${this.pending.size} requests already in flight`));
    const id = this.nextId++;
    let line: string;
    try {
      line = encodeFrame(this.options.secret ? { i: id, q: orNull(body), t: this.options.secret } : { i: id, q: orNull(body) }, this.maxFrameBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const request: Pending = { resolve, reject, deadline: performance.now() + timeoutMs };
      this.pending.set(id, request);
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
      if (this.writer) {
        this.writer.write(line);
      } else {
        request.line = line;
        this.connect();
      }
    });
  }

  /** Rejects everything pending with LinkError('closed') and drops the connection; a later request reconnects. */
  close(): void {
    if (this.socket) this.lose(this.socket, 'closed', 'the client was closed');
  }

  private connect(): void {
    if (this.socket) return; // already connecting
    let socket: Socket;
    try {
      socket = connect({ host: this.options.host, port: this.options.port });
    } catch (error) {
      // A malformed address throws at once rather than failing the connect.
      return this.failAll('connect', `cannot connect to ${this.address()}: ${messageOf(error)}`);
    }
    this.socket = socket;
    let cause = '';
    const timer = setTimeout(
      () => this.lose(socket, 'connect', `no connection to ${this.address()} within ${this.connectTimeoutMs} ms`),
      this.connectTimeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => {
      clearTimeout(timer);
      if (this.socket === socket) this.established(socket);
    });
    // ECONNREFUSED, ECONNRESET, EPIPE are normal here; the 'close' that follows settles what was pending.
    socket.on('error', (error) => (cause = `: ${error.message}`));
    socket.on('close', () => {
      clearTimeout(timer);
      if (this.writer) this.lose(socket, 'closed', `the connection to ${this.address()} closed${cause}`);
      else this.lose(socket, 'connect', `cannot connect to ${this.address()}${cause}`);
    });
  }

  private established(socket: Socket): void {
    const writer = new FrameWriter(socket);
    this.writer = writer;
    for (const request of this.pending.values()) {
      if (request.line === undefined) continue;
      writer.write(request.line);
      request.line = undefined;
    }
    const splitter = new LineSplitter(this.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      splitter.push(chunk);
      this.readFrames(splitter, socket);
    });
  }

  private readFrames(splitter: LineSplitter, socket: Socket): void {
    for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
      const frame = line === OVERSIZED ? undefined : parseServerFrame(line);
      if (frame === undefined) return this.lose(socket, 'closed', `${this.address()} broke the protocol`);
      if (frame.kind === 'push') {
        const chars = typeof line === 'string' ? line.length : 0;
        this.callBack('onPush', () => this.options.onPush?.(frame.body, chars));
        if (this.socket !== socket) return; // onPush closed the client
        continue;
      }
      const request = this.pending.get(frame.id);
      if (request === undefined) continue; // timed out already: a late answer is ignored
      this.pending.delete(frame.id);
      if (frame.kind === 'answer') request.resolve(frame.body);
      else request.reject(new LinkError('remote', frame.message));
    }
  }

  /** Forgets `socket` (if still current), fails everything pending on it and tells onDisconnect when it was open. */
  private lose(socket: Socket, reason: LinkErrorReason, message: string): void {
    if (this.socket !== socket) return;
    const wasOpen = this.writer !== undefined;
    this.socket = undefined;
    this.writer = undefined;
    socket.destroy();
    this.failAll(reason, message);
    if (wasOpen) this.callBack('onDisconnect', () => this.options.onDisconnect?.());
  }

  private failAll(reason: LinkErrorReason, message: string): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    this.stopSweeping();
    for (const request of requests) request.reject(new LinkError(reason, message));
  }

  private sweep(): void {
    const now = performance.now();
    for (const [id, request] of this.pending) {
      if (request.deadline > now) continue;
      this.pending.delete(id);
      request.reject(new LinkError('timeout', `no answer from ${this.address()} in time`));
    }
    if (this.pending.size === 0) this.stopSweeping();
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** A callback that throws is a bug of its own; it must not take the socket's event handler (or the process) down. */
  private callBack(name: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      (this.options.log ?? console.error)(`[owner-link] ${name} threw: ${messageOf(error)}`);
    }
  }

  private address(): string {
    return `${this.options.host}:${this.options.port}`;
  }
}
