import { io } from 'socket.io-client';
import type { InventoryView, PlayerCommand, Slot } from '@app/inventory';
import type { AcknowledgedEvent, RefusalCode, Refusal, ReplyOf, RequestOf } from '@app/protocol';
import type { ZoneSight, ZoneTick } from '@app/zone';
import { GameError, RETRYABLE_CODES } from './game-error';
import { ConnectionState, GatewayConnection, GatewayMove } from './gateway-connection';
import { lookUpPlayer, PlayerRef } from './player-lookup';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_RETRY, RetryOptions } from './retry-options';
import { ZoneReplica } from './zone-replica';

export type Inventory = InventoryView;
/** What a player sees of its zone, as `joinZone` resolves it. */
export type { ZoneSight };
/** What `onMove` listeners hear; what `onConnectionState` listeners hear. */
export type { GatewayMove, ConnectionState };
/** Another player, as `findPlayer` answers. */
export type { PlayerRef };
/** @deprecated The former name of `ZoneSight` (it is not a stored snapshot); kept so clients written against it compile. */
export type ZoneSnapshot = ZoneSight;
/** What a request's acknowledgement carries when it succeeds. */
type Answer<E extends AcknowledgedEvent> = Extract<ReplyOf<E>, { ok: true }>;

export interface GameClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:3000`: where to log in and connect first. */
  url: string;
  /**
   * Other gateways (base URLs) to connect to when the one in use does not answer. Not needed for planned stops: a
   * stopping gateway names where to go (`server:draining`).
   */
  urls?: string[];
  /** Longest wait for one acknowledgement before the command is sent again. */
  ackTimeoutMs?: number;
  retry?: Partial<RetryOptions>;
}

/** Well inside the zone's 5 minutes of silence after which it takes a player out. */
const ZONE_KEEPALIVE_MS = 60_000;
/** In Node, a timer that does not keep the process alive on its own; browsers have no such notion. */
const unrefed = <T>(timer: T): T => ((timer as { unref?: () => void }).unref?.(), timer);

/**
 * A game client for Node and browsers: guest login, one socket at a time, one typed method per command. Each command
 * gets a commandId once and keeps it through every retry (lost connection, no answer, `unavailable`,
 * `rate_limited`, a move to another gateway), so the server applies it once whatever happens. When its gateway stops
 * (`server:draining`) it moves to another with the same token. After a reconnect or a move it fetches the
 * inventory again and joins its zone again, so `inventory` and the listeners never miss a change made while it was away.
 */
export class GameClient {
  readonly playerId: string;
  private readonly connection: GatewayConnection;
  private readonly token: string;
  private readonly retry: RetryOptions;
  private readonly ackTimeoutMs: number;
  private readonly listeners = new Set<(inventory: Inventory) => void>();
  private current?: Inventory;
  private replica?: ZoneReplica;
  private readonly zoneListeners = new Set<(zone: ZoneReplica, tick?: ZoneTick) => void>();
  private seq = 0;
  private joining = 0;
  private early: ZoneTick[] = [];
  private heading: { x: -1 | 0 | 1; y: -1 | 0 | 1 } = { x: 0, y: 0 };
  private keepalive?: ReturnType<typeof setInterval>;

  private constructor(options: GameClientOptions, session: { playerId: string; token: string }) {
    this.playerId = session.playerId;
    this.token = session.token;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.connection = new GatewayConnection({
      urls: [options.url, ...(options.urls ?? [])],
      // The same token is good at every gateway. A socket of its own per client and gateway (forceNew), never shared.
      open: (url) =>
        io(url, {
          auth: { token: session.token },
          transports: ['websocket'],
          autoConnect: false,
          forceNew: true,
          reconnectionDelay: this.retry.baseDelayMs,
          reconnectionDelayMax: this.retry.maxDelayMs,
        }),
      backoff: (attempt) => backoff(this.retry, attempt),
    });
    this.connection.onPush('inventory:changed', ({ inventory }) => this.seen(inventory));
    this.connection.onPush('zone:tick', (tick) => {
      // A tick may come before the answer to the join it follows: it waits for that answer.
      if (this.joining > 0) this.early.push(tick);
      else this.applied(tick);
    });
    // A reconnect or a move: what changed meanwhile was pushed to nobody, and the gateway now in use knows nothing
    // of this client's zone; joining again brings a fresh sight of it.
    this.connection.onResume(() => {
      void this.get().catch(() => undefined);
      if (this.replica) void this.joinZone(this.replica.zoneId).catch(() => undefined);
    });
  }

  /** Logs in as a guest (the same name is always the same player) and connects. */
  static async login(options: GameClientOptions, name: string): Promise<GameClient> {
    const response = await fetch(`${options.url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    const body = (await response.json()) as { playerId?: string; token?: string; error?: { code: RefusalCode; message: string } };
    if (!response.ok || !body.playerId || !body.token)
      throw new GameError(body.error?.code ?? 'unavailable', body.error?.message ?? `login failed with ${response.status}`);
    const client = new GameClient(options, { playerId: body.playerId, token: body.token });
    try {
      await client.connection.start();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** The gateway this client's socket goes to now. */
  get gateway(): string {
    return this.connection.url;
  }

  /** Calls `listener` each time the client leaves its gateway for another (or the same address again); returns the way to stop. */
  onMove(listener: (move: GatewayMove) => void): () => void {
    return this.connection.onMove(listener);
  }

  /** Whether it is connected to a gateway now, or reconnecting (e.g. to show so while it is). */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** Calls `listener` with each change of `connectionState`; returns the way to stop. */
  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    return this.connection.onState(listener);
  }

  /** The player who goes by `name` (in any case), asked of the gateway in use; `not_found` when nobody does. */
  findPlayer(name: string): Promise<PlayerRef> {
    return lookUpPlayer(this.connection.url, this.token, name);
  }

  /** The newest inventory this client has heard of (by version). */
  get inventory(): Inventory | undefined {
    return this.current;
  }

  /** Calls `listener` with every newer inventory; returns the way to stop. */
  onInventory(listener: (inventory: Inventory) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(): Promise<Inventory> {
    return this.inventoryRequest('inventory:get', {});
  }
  discard(itemId: string, quantity: number): Promise<Inventory> {
    return this.command({ type: 'discard', itemId, quantity });
  }
  use(itemId: string): Promise<Inventory> {
    return this.command({ type: 'use', itemId });
  }
  equip(itemId: string): Promise<Inventory> {
    return this.command({ type: 'equip', itemId });
  }
  unequip(slot: Slot): Promise<Inventory> {
    return this.command({ type: 'unequip', slot });
  }
  transferGold(toPlayerId: string, amount: number): Promise<Inventory> {
    return this.command({ type: 'transfer-gold', toPlayerId, amount });
  }
  giveItem(toPlayerId: string, itemId: string, quantity: number): Promise<Inventory> {
    return this.command({ type: 'give-item', toPlayerId, itemId, quantity });
  }

  /** What this player sees of its zone, kept up to date by every `zone:tick`; undefined outside a zone. */
  get zone(): ZoneReplica | undefined {
    return this.replica;
  }

  /** Calls `listener` after every change of `zone`: with the tick applied, or without one after a (re)join. */
  onZone(listener: (zone: ZoneReplica, tick?: ZoneTick) => void): () => void {
    this.zoneListeners.add(listener);
    return () => this.zoneListeners.delete(listener);
  }

  /** Enters a zone (leaving any other) and starts following it. */
  async joinZone(zoneId: string): Promise<ZoneSight> {
    this.joining++;
    let snapshot: ZoneSight;
    try {
      ({ snapshot } = await this.request('zone:join', { zoneId, commandId: newCommandId() }, true));
    } catch (error) {
      this.joining--;
      this.flushEarly();
      throw error;
    }
    this.joining--;
    const unapplied = this.seq > snapshot.ackSeq;
    this.seq = Math.max(this.seq, snapshot.ackSeq);
    if (this.replica) this.replica.reset(snapshot);
    else this.replica = new ZoneReplica(this.playerId, snapshot);
    // A zone takes out players it has not heard from for minutes; one standing still says so now and then.
    this.keepalive ??= unrefed(setInterval(() => this.replica && this.move(this.heading.x, this.heading.y), ZONE_KEEPALIVE_MS));
    for (const listener of this.zoneListeners) listener(this.replica);
    this.flushEarly();
    // Steering sent while away (or refused before this join) never arrived: send where the player heads again.
    if (unapplied) this.move(this.heading.x, this.heading.y);
    return snapshot;
  }

  /**
   * Steers: the player keeps walking this way (each axis -1, 0 or 1) at its speed until the next call. Not
   * acknowledged and not retried: a lost input is overtaken by the next one. Returns its seq (see `zone.ackSeq`).
   */
  move(x: -1 | 0 | 1, y: -1 | 0 | 1): number {
    if (!this.replica) throw new GameError('not_found', 'join a zone first');
    this.heading = { x, y };
    this.seq++;
    this.connection.emit('zone:input', { seq: this.seq, move: this.heading });
    return this.seq;
  }

  async attack(targetId: string): Promise<void> {
    await this.request('zone:attack', { targetId, commandId: newCommandId() }, true);
  }

  async leaveZone(): Promise<void> {
    await this.request('zone:leave', { commandId: newCommandId() }, true);
    this.replica = undefined;
    this.stopKeepalive();
  }

  close(): void {
    this.stopKeepalive();
    this.connection.close();
  }

  private flushEarly(): void {
    const early = this.early;
    this.early = [];
    for (const tick of early) this.applied(tick);
  }

  private applied(tick: ZoneTick): void {
    const replica = this.replica;
    if (!replica?.apply(tick)) return;
    for (const listener of this.zoneListeners) listener(replica, tick);
    // Gone from its own view: the zone took the player out (silent too long). Come back in.
    if (!replica.self && this.joining === 0) void this.joinZone(replica.zoneId).catch(() => undefined);
  }

  private stopKeepalive(): void {
    clearInterval(this.keepalive);
    this.keepalive = undefined;
  }

  private command(command: PlayerCommand): Promise<Inventory> {
    return this.inventoryRequest('inventory:command', { commandId: newCommandId(), ...command }, true);
  }

  private async inventoryRequest<E extends 'inventory:get' | 'inventory:command'>(event: E, payload: RequestOf<E>, stampRetries = false): Promise<Inventory> {
    const { inventory } = await this.request(event, payload, stampRetries);
    this.seen(inventory);
    return inventory;
  }

  /**
   * Sends until answered for good, or until `giveUpAfterMs` after the first sending; a retry carries the same payload,
   * so the same commandId. With `stampRetries`, a retry also says how long ago the first was sent (`firstSentMsAgo`),
   * by this client's clock alone, so the service can refuse one it might have applied and no longer remembers.
   */
  private async request<E extends AcknowledgedEvent>(event: E, payload: RequestOf<E>, stampRetries = false): Promise<Answer<E>> {
    let lastError: GameError | undefined;
    const firstSent = Date.now();
    for (let attempt = 0; attempt < this.retry.attempts; attempt++) {
      if (attempt > 0) {
        await delay(backoff(this.retry, attempt));
        if (Date.now() - firstSent >= this.retry.giveUpAfterMs) break;
      }
      if (this.connection.closed) throw new GameError('unavailable', 'the client is closed');
      const reply = await this.send(event, payload, attempt > 0 && stampRetries ? firstSent : undefined);
      if (reply.ok) return reply as Answer<E>;
      lastError = new GameError(reply.error.code, reply.error.message);
      if (!RETRYABLE_CODES.has(reply.error.code)) throw lastError;
    }
    throw lastError ?? new GameError('unavailable', 'no attempt made');
  }

  /**
   * `firstSent`: the retry says how long ago that was, measured when it leaves (the connection waits for its socket
   * first: a reconnect, or a move to another gateway).
   */
  private async send<E extends AcknowledgedEvent>(event: E, payload: RequestOf<E>, firstSent?: number): Promise<ReplyOf<E> | Refusal> {
    const sent = () => (firstSent === undefined ? payload : { ...payload, firstSentMsAgo: Date.now() - firstSent });
    try {
      // The map has checked the request and the reply where each request was made (the public methods); here they
      // are only passed on.
      return (await this.connection.request(event, sent, this.ackTimeoutMs)) as ReplyOf<E>;
    } catch {
      return { ok: false, error: { code: 'unavailable', message: `no answer within ${this.ackTimeoutMs} ms` } };
    }
  }

  private seen(inventory: Inventory): void {
    if (this.current && this.current.version >= inventory.version) return;
    this.current = inventory;
    for (const listener of this.listeners) listener(inventory);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = ({ baseDelayMs, maxDelayMs }: RetryOptions, attempt: number) => Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * 128 random bits as hex. Not `crypto.randomUUID`: browsers offer it only on https pages, while
 * `getRandomValues` is everywhere (Node 20 included).
 */
function newCommandId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
