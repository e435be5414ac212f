import { randomBytes } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { percentile } from '../bench-support';
import { cpuMeter, Processes } from './process-cpu';
import { StageFigures } from './stage-figures';

export type Reply = { ok: true; inventory: { playerId: string; gold: number; version: number } } | { ok: false; error: { code: string; message: string } };
export interface Player {
  playerId: string;
  token: string;
}

export interface Timing {
  warmupSeconds: number;
  windowSeconds: number;
  /** How long after the window a command sent in it may still be answered before it counts as unanswered. */
  drainSeconds: number;
}

export interface StepFigures {
  offeredPerSecond: number;
  /** Where the time went inside the server, when it says (this project only). */
  stages?: StageFigures;
  /** Commands sent in the window per second: below the offered rate when the generator itself fell behind. */
  sentPerSecond: number;
  /** The window as it ran, in seconds, and the `ok` answers received during it (any command of this step). */
  seconds: number;
  acked: number;
  ackedPerSecond: number;
  /** Commands sent in the window and refused, by error code. */
  refused: Record<string, number>;
  /** Commands sent in the window with no answer `drainSeconds` after it. */
  unanswered: number;
  /** Send to answer, in ms, of the commands sent in the window; null when that quantile is among the unanswered. */
  p50: number | null;
  p99: number | null;
  /** How late the generator sent, behind its schedule (its own overload shows here, not in the servers' figures). */
  sendLagP99Ms: number;
  /** `inventory:changed` pushes received per `ok` answer during the window. */
  changedPerAck: number;
  disconnects: number;
  /** CPU seconds (user + system) each named process used during the window. */
  cpuSeconds: Record<string, number>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The open-loop load generator of the peers scenario: one raw socket.io-client socket per player (no SDK, so no
 * retries blur the figures), commands sent on a fixed schedule whatever the answers, each a transfer of 1 gold to
 * another random player with a fresh commandId, round-robin over the players.
 */
export class OpenLoop {
  private cursor = 0;
  private sequence = 0;
  private changed = 0;
  private disconnects = 0;
  private readonly tag = randomBytes(4).toString('hex');

  private constructor(
    readonly players: Player[],
    private readonly sockets: Socket[],
  ) {}

  /** One socket per player, connected (100 at a time, so the handshakes do not time out on a busy machine). */
  static async connect(url: string, players: Player[]): Promise<OpenLoop> {
    const loop = new OpenLoop(players, []);
    try {
      for (let first = 0; first < players.length; first += 100) {
        const batch = players.slice(first, first + 100).map((player) => {
          const socket = io(url, { auth: { token: player.token }, transports: ['websocket'], reconnection: false });
          socket.on('inventory:changed', () => loop.changed++);
          socket.on('disconnect', () => loop.disconnects++);
          loop.sockets.push(socket);
          return new Promise<void>((done, fail) => {
            socket.once('connect', () => done());
            socket.once('connect_error', (error) => fail(new Error(`player ${player.playerId} could not connect: ${error.message}`)));
          });
        });
        await Promise.all(batch);
      }
    } catch (error) {
      loop.close();
      throw error;
    }
    return loop;
  }

  /** One command from player `from`, answered or not within `timeoutMs` (for checks, not for load). */
  command(from: number, command: object, timeoutMs = 10_000): Promise<Reply> {
    return this.sockets[from].timeout(timeoutMs).emitWithAck('inventory:command', command) as Promise<Reply>;
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
  }

  /** A warm-up then a measured window at `perSecond`, then up to `drainSeconds` for the window's last answers. */
  async step(perSecond: number, timing: Timing, processes: Processes): Promise<StepFigures> {
    const total = Math.round(perSecond * (timing.warmupSeconds + timing.windowSeconds));
    const firstMeasured = Math.round(perSecond * timing.warmupSeconds);
    const latencies: number[] = [];
    const lags: number[] = [];
    const refused: Record<string, number> = {};
    let pending = 0;
    let acked = 0;
    let windowStart = Infinity;
    let windowEnd = Infinity;
    const before = { changed: 0, disconnects: this.disconnects };
    let cpuSeconds = (): Record<string, number> => ({});
    const begin = performance.now();
    for (let index = 0; index < total; await sleep(1)) {
      const due = Math.min(total, Math.floor(((performance.now() - begin) * perSecond) / 1000) + 1);
      for (; index < due; index++) {
        if (index === firstMeasured) {
          windowStart = performance.now();
          before.changed = this.changed;
          cpuSeconds = cpuMeter(processes);
        }
        const measured = index >= firstMeasured;
        const sentAt = performance.now();
        if (measured) {
          pending++;
          lags.push(sentAt - (begin + (index * 1000) / perSecond));
        }
        this.send((reply) => {
          const at = performance.now();
          if (reply.ok && at >= windowStart && at <= windowEnd) acked++;
          if (!measured) return;
          pending--;
          latencies.push(at - sentAt);
          if (!reply.ok) refused[reply.error.code] = (refused[reply.error.code] ?? 0) + 1;
        });
      }
    }
    windowEnd = performance.now();
    const cpu = cpuSeconds();
    const changed = this.changed - before.changed;
    const seconds = (windowEnd - windowStart) / 1000;
    const drainEnd = windowEnd + timing.drainSeconds * 1000;
    while (pending > 0 && performance.now() < drainEnd) await sleep(20);
    const unanswered = pending;
    const answeredOrNot = [...latencies, ...Array<number>(unanswered).fill(Infinity)];
    const quantile = (q: number) => {
      const value = percentile(answeredOrNot, q);
      return Number.isFinite(value) ? Math.round(value * 10) / 10 : null;
    };
    return {
      offeredPerSecond: perSecond,
      sentPerSecond: Math.round((total - firstMeasured) / seconds),
      seconds: Math.round(seconds * 1000) / 1000,
      acked,
      ackedPerSecond: Math.round(acked / seconds),
      refused,
      unanswered,
      p50: quantile(0.5),
      p99: quantile(0.99),
      sendLagP99Ms: Math.round(percentile(lags, 0.99) * 10) / 10,
      changedPerAck: acked > 0 ? Math.round((changed / acked) * 100) / 100 : 0,
      disconnects: this.disconnects - before.disconnects,
      cpuSeconds: cpu,
    };
  }

  private send(answered: (reply: Reply) => void): void {
    const count = this.players.length;
    const from = this.cursor;
    this.cursor = (this.cursor + 1) % count;
    const to = (from + 1 + Math.floor(Math.random() * (count - 1))) % count;
    const command = { commandId: `${this.tag}-${this.sequence++}`, type: 'transfer-gold', toPlayerId: this.players[to].playerId, amount: 1 };
    this.sockets[from].emit('inventory:command', command, answered);
  }
}
