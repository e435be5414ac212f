import type { ClientSocket } from './gateway-connection';

/** A request a fake socket carried, waiting for the test to answer it as its gateway. */
export interface CarriedRequest {
  event: string;
  payload: Record<string, unknown>;
  answer(reply: unknown): void;
}

/**
 * socket.io-client's socket as the SDK uses it, with the test playing every gateway: it accepts or refuses the
 * connection, answers requests, pushes events and closes the socket. Unanswered requests fail when the socket
 * disconnects, as socket.io-client's do (timeouts are left to the connection's own timer).
 */
export class FakeSocket implements ClientSocket {
  connected = false;
  connectAsked = 0;
  closedByClient = false;
  readonly requests: CarriedRequest[] = [];
  readonly emitted: { event: string; payload: unknown }[] = [];
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  private readonly unanswered = new Set<(error: Error) => void>();

  constructor(readonly url: string) {}

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  connect(): this {
    this.connectAsked++;
    return this;
  }

  disconnect(): this {
    this.closedByClient = true;
    if (this.connected) this.dropped('io client disconnect');
    return this;
  }

  emit(event: string, payload: unknown): this {
    this.emitted.push({ event, payload });
    return this;
  }

  timeout(ms: number) {
    return {
      emitWithAck: (event: string, payload: unknown) =>
        new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => fail(new Error('operation has timed out')), ms).unref();
          const fail = (error: Error) => {
            clearTimeout(timer);
            this.unanswered.delete(fail);
            reject(error);
          };
          this.unanswered.add(fail);
          this.requests.push({
            event,
            payload: payload as Record<string, unknown>,
            answer: (reply) => {
              clearTimeout(timer);
              this.unanswered.delete(fail);
              resolve(reply);
            },
          });
        }),
    };
  }

  // What the gateway does:

  accept(): void {
    this.connected = true;
    this.fire('connect');
  }

  refuse(message: string, data?: unknown): void {
    this.fire('connect_error', Object.assign(new Error(message), { data }));
  }

  push(event: string, payload: unknown): void {
    this.fire(event, payload);
  }

  /** The gateway closes the connection (transport close). */
  close(): void {
    this.dropped('transport close');
  }

  /** The gateway disconnects the socket (after which socket.io-client does not reconnect by itself). */
  kick(): void {
    this.dropped('io server disconnect');
  }

  private dropped(reason: string): void {
    this.connected = false;
    for (const fail of [...this.unanswered]) fail(new Error('socket has been disconnected'));
    this.fire('disconnect', reason);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

/** Every fake socket opened, in order, by URL. */
export class FakeNetwork {
  readonly sockets: FakeSocket[] = [];

  readonly open = (url: string): FakeSocket => {
    const socket = new FakeSocket(url);
    this.sockets.push(socket);
    return socket;
  };

  /** The newest socket opened to `url`. */
  latest(url: string): FakeSocket {
    const socket = this.sockets.filter((each) => each.url === url).at(-1);
    if (!socket) throw new Error(`no socket to ${url}`);
    return socket;
  }
}

/** Polls `condition` between turns of the event loop until it holds; fails after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
