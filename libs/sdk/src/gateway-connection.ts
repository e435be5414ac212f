import type { AcknowledgedEvent, DRAINING, DrainingNotice, ServerToClient } from '@app/protocol';
import { GameError } from './game-error';

/** The connect_error message of a stopping gateway; the type ties it to the protocol's without bundling the protocol. */
const DRAINING_MESSAGE: typeof DRAINING = 'draining';

/** What the connection needs of a socket.io-client socket (created not connected); unit tests pass a fake. */
export interface ClientSocket {
  readonly connected: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io-client's listeners take what each event carries
  on(event: string, listener: (...args: any[]) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

/** Why the client left a gateway for another (or for the same address again). */
export interface GatewayMove {
  from: string;
  to: string;
  /** `draining`: the gateway said it is stopping, or refused the connection because it is; `unreachable`: it did not answer. */
  reason: 'draining' | 'unreachable';
}

export interface GatewayConnectionOptions {
  /** Gateways in order of preference: the first is connected first, the others are where to go when it fails. */
  urls: string[];
  open(url: string): ClientSocket;
  /** The wait before the n-th (from 1) connection attempt in a row that a gateway refused or did not answer. */
  backoff(attempt: number): number;
}

/**
 * Whether the client can talk to a gateway now: `connecting` until the first connect, `connected`, `reconnecting` from
 * the moment the socket in use is lost or left (a broken connection, a stopping gateway) until another connects,
 * `closed` after `close`.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

type PushEvent = 'inventory:changed' | 'zone:tick';
const PUSH_EVENTS: PushEvent[] = ['inventory:changed', 'zone:tick'];

/** One socket to one gateway; `retiring` once the client is moving away from it. */
interface Link {
  socket: ClientSocket;
  url: string;
  pending: number;
  retiring: boolean;
  gone: Promise<void>;
  finish(): void;
}

const bare = (url: string) => url.replace(/\/+$/, '');

/**
 * The client's way to the gateways: one socket in use at a time, replaced when its gateway stops. On `server:draining`
 * (or a `draining` refusal) it connects to another gateway the notice names (or one it knows of), else to the
 * same address once the old socket is closed; the old socket stays until every request sent on it is answered, then
 * closes. Requests go on the socket in use once it is connected; until then, on the one a draining gateway still
 * serves, else they wait. Pushes are heard only from the socket in use. Every connect after the first is a resume
 * (the caller fetches what it may have missed).
 */
export class GatewayConnection {
  private current: Link;
  /** The socket being left on a gateway's notice, still carrying requests until `current` connects. */
  private bridge?: Link;
  private everConnected = false;
  private attempts = 0;
  private stopped = false;
  private readonly links = new Set<Link>();
  /** Every gateway this client knows of: its own `urls`, and those stopping gateways named; where to fail over. */
  private readonly known: Set<string>;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly readyWaiters = new Set<() => void>();
  private readonly pushListeners = new Map<PushEvent, ((payload: unknown) => void)[]>();
  private readonly resumeListeners = new Set<() => void>();
  private readonly moveListeners = new Set<(move: GatewayMove) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private currentState: ConnectionState = 'connecting';
  private firstConnect?: { resolve(): void; reject(error: GameError): void };

  constructor(private readonly options: GatewayConnectionOptions) {
    if (options.urls.length === 0) throw new Error('at least one gateway URL is needed');
    this.known = new Set(options.urls.map(bare));
    this.current = this.open(bare(options.urls[0]));
  }

  /** Whether `close` was called: nothing is sent any more. */
  get closed(): boolean {
    return this.stopped;
  }

  /** The gateway the socket in use goes to. */
  get url(): string {
    return this.current.url;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Calls `listener` with each new state (never twice the same in a row); returns the way to stop. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connects the first time; rejects on a refusal (other than `draining`, which moves on) or an unreachable gateway. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.current.socket.connect();
    });
  }

  onPush<E extends PushEvent>(event: E, listener: (payload: Parameters<ServerToClient[E]>[0]) => void): void {
    this.pushListeners.set(event, [...(this.pushListeners.get(event) ?? []), listener as (payload: unknown) => void]);
  }

  /** Calls `listener` after every connect but the first: a reconnect, or a move to another gateway. */
  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }

  onMove(listener: (move: GatewayMove) => void): () => void {
    this.moveListeners.add(listener);
    return () => this.moveListeners.delete(listener);
  }

  /**
   * Sends once the socket in use is connected (waiting at most `timeoutMs` for that), and waits at most `timeoutMs`
   * for the answer; rejects when there is none (the caller retries with the same commandId). `payload` is made when
   * the request leaves.
   */
  async request(event: AcknowledgedEvent, payload: () => unknown, timeoutMs: number): Promise<unknown> {
    // A draining gateway answers until its clients have moved: it carries requests until the next one is connected.
    if (!this.current.socket.connected && !this.bridge?.socket.connected) await this.ready(timeoutMs);
    if (this.stopped) throw new Error('the connection is closed');
    const link = this.current.socket.connected || !this.bridge?.socket.connected ? this.current : this.bridge;
    link.pending++;
    try {
      return await link.socket.timeout(timeoutMs).emitWithAck(event, payload());
    } finally {
      link.pending--;
      if (link.retiring && link.pending === 0 && link !== this.bridge) link.finish();
    }
  }

  /** Sends without waiting for an answer (buffered until the socket in use connects). */
  emit(event: 'zone:input', payload: unknown): void {
    this.current.socket.emit(event, payload);
  }

  close(): void {
    this.stopped = true;
    this.changeState('closed');
    for (const timer of this.timers) clearTimeout(timer);
    for (const link of this.links) link.finish();
    for (const wake of this.readyWaiters) wake();
  }

  private open(url: string): Link {
    const socket = this.options.open(url);
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    let finished = false;
    const link: Link = {
      socket,
      url,
      pending: 0,
      retiring: false,
      gone,
      finish: () => {
        if (finished) return;
        finished = true;
        if (this.bridge === link) this.bridge = undefined;
        this.links.delete(link);
        socket.disconnect();
        closed();
      },
    };
    this.links.add(link);
    socket.on('connect', () => this.connected(link));
    socket.on('connect_error', (error: Error & { data?: Partial<DrainingNotice> }) => this.refused(link, error));
    socket.on('disconnect', (reason: string) => {
      // A socket being left behind that the server closed: it must not reconnect on its own.
      if (link.retiring) return link.finish();
      if (link !== this.current || reason === 'io client disconnect') return;
      this.changeState('reconnecting');
      // socket.io-client reconnects by itself after anything but the server's own disconnect; after that one too.
      if (reason === 'io server disconnect') return this.later(this.options.backoff(++this.attempts), () => this.reconnect(link));
      // The connection broke (its gateway died, most likely): another gateway is tried at once, not this one again.
      if (this.others(link.url, []).length > 0) this.move(link, [], 'unreachable', false);
    });
    socket.on('server:draining', (notice: DrainingNotice) => {
      if (link === this.current) this.move(link, notice.urls ?? [], 'draining', false);
    });
    for (const event of PUSH_EVENTS) {
      socket.on(event, (payload: unknown) => {
        if (link === this.current) for (const listener of this.pushListeners.get(event) ?? []) listener(payload);
      });
    }
    return link;
  }

  private connected(link: Link): void {
    if (link !== this.current) return link.finish();
    const bridge = this.bridge;
    this.bridge = undefined;
    if (bridge?.pending === 0) bridge.finish();
    this.attempts = 0;
    const resumed = this.everConnected;
    this.everConnected = true;
    this.firstConnect?.resolve();
    this.firstConnect = undefined;
    this.changeState('connected');
    for (const wake of this.readyWaiters) wake();
    this.readyWaiters.clear();
    if (resumed) for (const listener of this.resumeListeners) listener();
  }

  private refused(link: Link, error: Error & { data?: Partial<DrainingNotice> }): void {
    if (link !== this.current || this.stopped) return;
    if (error.message === DRAINING_MESSAGE) return this.move(link, error.data?.urls ?? [], 'draining', true);
    if (this.firstConnect) {
      this.firstConnect.reject(new GameError(error.message === 'unauthorized' ? 'unauthorized' : 'unavailable', error.message));
      this.firstConnect = undefined;
      return;
    }
    // Unreachable: socket.io-client tries the same address again by itself, unless there is another to try.
    if (error.message !== 'unauthorized' && this.others(link.url, []).length > 0) this.move(link, [], 'unreachable', true);
  }

  /**
   * Leaves `from` for another gateway: one of `offered` (the gateway's word), else one it knows of (its own URLs and
   * those gateways named before), else the same address once `from` is closed, so as not to come back to a gateway
   * that is going away.
   */
  private move(from: Link, offered: string[], reason: GatewayMove['reason'], refused: boolean): void {
    if (this.stopped) return;
    const others = this.others(from.url, offered);
    const to = others.length > 0 ? others[Math.floor(Math.random() * others.length)] : from.url;
    from.retiring = true;
    // Told to move by a gateway still serving: it carries requests until the next one connects (one at another address).
    if (reason === 'draining' && !refused && to !== from.url && from.socket.connected) this.bridge = from;
    else if (from.pending === 0) from.finish();
    const next = this.open(to);
    this.current = next;
    if (this.everConnected) this.changeState('reconnecting');
    for (const listener of this.moveListeners) listener({ from: from.url, to, reason });
    // A refusal in a row waits a little longer each time; a move on notice goes at once (after the old socket closes
    // when it is to the same address).
    const wait = refused ? this.options.backoff(++this.attempts) : 0;
    if (to === from.url) void from.gone.then(() => this.later(wait, () => this.reconnect(next)));
    else this.later(wait, () => this.reconnect(next));
  }

  private changeState(state: ConnectionState): void {
    if (this.currentState === state || this.currentState === 'closed') return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private reconnect(link: Link): void {
    if (link === this.current && !this.stopped && !link.socket.connected) link.socket.connect();
  }

  private others(url: string, offered: string[]): string[] {
    const fromGateway = offered.map(bare).filter((candidate) => candidate !== url);
    for (const candidate of fromGateway) this.known.add(candidate);
    return fromGateway.length > 0 ? fromGateway : [...this.known].filter((candidate) => candidate !== url);
  }

  private later(ms: number, run: () => void): void {
    if (ms === 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.timers.add(timer);
  }

  /** Resolves once the socket in use is connected, or after `timeoutMs`. */
  private ready(timeoutMs: number): Promise<void> {
    if (this.current.socket.connected || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.readyWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.readyWaiters.add(wake);
    });
  }
}
