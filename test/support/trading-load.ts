import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { InventoryReply } from '@app/protocol';

/** A logged-in player with one raw Socket.IO connection (no SDK: the test sees every answer as it comes). */
export interface TradingPlayer {
  playerId: string;
  socket: Socket;
  /** Newest `inventory:changed` pushed to this socket. */
  pushed?: { gold: number; version: number };
}

/** How long one answer may take before it counts as missing: far past the gateway's own 5 s wait. */
const ANSWER_WAIT_MS = 30_000;

/** Logs `count` guests in through `POST /auth/guest` and connects a socket for each; `cap` bounds logins at once. */
export async function loginTraders(url: string, names: string[], cap = 20): Promise<TradingPlayer[]> {
  const players: TradingPlayer[] = [];
  for (let start = 0; start < names.length; start += cap) {
    players.push(...(await Promise.all(names.slice(start, start + cap).map((name) => loginTrader(url, name)))));
  }
  return players;
}

async function loginTrader(url: string, name: string): Promise<TradingPlayer> {
  const response = await fetch(`${url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  if (response.status !== 201) throw new Error(`login of ${name}: ${response.status} ${await response.text()}`);
  const { playerId, token } = (await response.json()) as { playerId: string; token: string };
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1_000 });
  const player: TradingPlayer = { playerId, socket };
  socket.on('inventory:changed', ({ inventory }: { inventory: { gold: number; version: number } }) => {
    if (!player.pushed || inventory.version > player.pushed.version) player.pushed = inventory;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return player;
}

export interface LoadFigures {
  seconds: number;
  offered: number;
  offeredPerSecond: number;
  /** Acknowledged, in all (the rate counts those answered while the load ran). */
  ok: number;
  okPerSecond: number;
  unavailable: number;
  rateLimited: number;
  refused: Record<string, number>;
  missing: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Players sending `transfer-gold` of 1 to one another, `lanes` commands at a time each, as fast as answers come.
 * `unavailable` and `rate_limited` are retried with the same commandId after a short pause (as the SDK does), so
 * every command ends with a definite outcome; acknowledged ones go into the ledger. Every answer is counted.
 */
export class TradingLoad {
  readonly acked: { from: string; to: string; amount: number }[] = [];
  private readonly counts = { offered: 0, ok: 0, okWhileRunning: 0, unavailable: 0, rateLimited: 0, missing: 0 };
  private readonly refused: Record<string, number> = {};
  private readonly okLatencies: number[] = [];
  private running = false;
  private lanes: Promise<void>[] = [];
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(private readonly players: TradingPlayer[]) {}

  /** Answers counted so far, by kind. */
  get answered(): { ok: number; unavailable: number; rateLimited: number; missing: number } {
    const { ok, unavailable, rateLimited, missing } = this.counts;
    return { ok, unavailable, rateLimited, missing };
  }

  start(lanesPerPlayer: number): void {
    this.running = true;
    this.startedAt = Date.now();
    this.lanes = this.players.flatMap((player) => Array.from({ length: lanesPerPlayer }, () => this.lane(player)));
  }

  /** Stops starting commands and waits until every command begun has a definite outcome. */
  async stop(): Promise<LoadFigures> {
    this.running = false;
    this.stoppedAt = Date.now();
    await Promise.all(this.lanes);
    return this.figures();
  }

  private async lane(player: TradingPlayer): Promise<void> {
    while (this.running) {
      const others = this.players.filter((other) => other !== player);
      const to = others[Math.floor(Math.random() * others.length)];
      const command = { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: to.playerId, amount: 1 };
      if (await this.untilDefinite(player, command)) this.acked.push({ from: player.playerId, to: to.playerId, amount: 1 });
    }
  }

  /** True when acknowledged, false when refused with a code that changes nothing. */
  private async untilDefinite(player: TradingPlayer, command: { commandId: string }): Promise<boolean> {
    for (;;) {
      const answer = await this.ask(player.socket, command);
      if (answer === 'missing') this.counts.missing++;
      else if (answer.ok) return true;
      else if (answer.error.code === 'unavailable') this.counts.unavailable++;
      else if (answer.error.code === 'rate_limited') this.counts.rateLimited++;
      else {
        this.refused[answer.error.code] = (this.refused[answer.error.code] ?? 0) + 1;
        return false;
      }
      // Retried with the same commandId: applied once whatever happened to the earlier tries.
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }

  private async ask(socket: Socket, command: object): Promise<InventoryReply | 'missing'> {
    const sentAt = Date.now();
    if (this.running) this.counts.offered++;
    try {
      const answer = (await socket.timeout(ANSWER_WAIT_MS).emitWithAck('inventory:command', command)) as InventoryReply;
      if (answer.ok) {
        this.counts.ok++;
        if (this.running) {
          this.counts.okWhileRunning++;
          this.okLatencies.push(Date.now() - sentAt);
        }
      }
      return answer;
    } catch {
      return 'missing';
    }
  }

  private figures(): LoadFigures {
    const seconds = (this.stoppedAt - this.startedAt) / 1_000;
    const sorted = [...this.okLatencies].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return {
      seconds,
      offered: this.counts.offered,
      offeredPerSecond: Math.round(this.counts.offered / seconds),
      ok: this.counts.ok,
      okPerSecond: Math.round(this.counts.okWhileRunning / seconds),
      unavailable: this.counts.unavailable,
      rateLimited: this.counts.rateLimited,
      refused: { ...this.refused },
      missing: this.counts.missing,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
    };
  }
}

/** Each player's gold once every acknowledged transfer has landed, from the same starting grant. */
export function expectedGold(players: Pick<TradingPlayer, 'playerId'>[], granted: number, acked: TradingLoad['acked']): Map<string, number> {
  const gold = new Map(players.map((player) => [player.playerId, granted]));
  for (const { from, to, amount } of acked) {
    gold.set(from, gold.get(from)! - amount);
    gold.set(to, gold.get(to)! + amount);
  }
  return gold;
}
