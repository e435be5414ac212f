import { GameClient, GameError, RETRYABLE_CODES } from '@app/sdk';
import { percentile } from './bench-support';

/** Fastest one player sends: under the gateway's 20 events/s per socket, so no command is refused for rate. */
export const PLAYER_MIN_GAP_MS = 60;

export interface PlayerLoadFigures {
  acknowledged: number;
  p50: number;
  p99: number;
  /** Commands the server refused by rule, by error code (the mix is built to have none). */
  rejected: Record<string, number>;
  /** Commands the SDK gave up on after all its retries. */
  failed: number;
}

/**
 * Load from real SDK clients through the gateway. Each player cycles through a mix of a gold transfer to
 * another player (cross-partition, through the outbox), equipping its sword, another transfer and unequipping
 * it, so every command is valid and changes state. Latency is what the caller of the SDK waits for.
 */
export class PlayerLoad {
  private readonly steps: number[];
  private latencies: number[] = [];
  private rejected: Record<string, number> = {};
  private failed = 0;

  constructor(private readonly players: GameClient[]) {
    this.steps = players.map(() => 0);
  }

  /** Closed loop: every player keeps one command in flight, at most one per PLAYER_MIN_GAP_MS, until `total` are answered. */
  async saturate(total: number): Promise<PlayerLoadFigures & { perSecond: number }> {
    this.reset();
    let started = 0;
    const begin = performance.now();
    await Promise.all(
      this.players.map(async (_, index) => {
        while (started < total) {
          started++;
          const sentAt = performance.now();
          await this.send(index);
          const gap = PLAYER_MIN_GAP_MS - (performance.now() - sentAt);
          if (gap > 0) await new Promise((done) => setTimeout(done, gap));
        }
      }),
    );
    const seconds = (performance.now() - begin) / 1000;
    const figures = this.figures();
    return { ...figures, perSecond: figures.acknowledged / seconds };
  }

  /** Open loop at `perSecond`, spread round-robin over the players; figures after `warmupSeconds`. */
  async fixedRate(perSecond: number, seconds: number, warmupSeconds: number): Promise<PlayerLoadFigures & { skipped: number }> {
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
    const ticks = Math.round(((seconds + warmupSeconds) * 1000) / tickMs);
    const warmupTicks = Math.round((warmupSeconds * 1000) / tickMs);
    const busy = new Set<number>();
    const inFlight = new Set<Promise<void>>();
    let cursor = 0;
    // A player still waiting for its last answer is passed over (its next command could depend on it); counted here.
    let skipped = 0;
    const begin = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      if (tick === warmupTicks) this.reset();
      for (let sent = 0; sent < perTick; sent++) {
        const index = cursor;
        cursor = (cursor + 1) % this.players.length;
        if (busy.has(index)) {
          skipped++;
          continue;
        }
        busy.add(index);
        const command = this.send(index).finally(() => {
          busy.delete(index);
          inFlight.delete(command);
        });
        inFlight.add(command);
      }
      const wait = begin + (tick + 1) * tickMs - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    }
    await Promise.all(inFlight);
    return { ...this.figures(), skipped };
  }

  private async send(index: number): Promise<void> {
    const player = this.players[index];
    const step = this.steps[index]++;
    const sentAt = performance.now();
    try {
      if (step % 2 === 0) await player.transferGold(this.someoneElse(index), 1);
      else if (step % 4 === 1) await player.equip('sword');
      else await player.unequip('weapon');
      this.latencies.push(performance.now() - sentAt);
    } catch (error) {
      if (error instanceof GameError && !RETRYABLE_CODES.has(error.code)) {
        this.rejected[error.code] = (this.rejected[error.code] ?? 0) + 1;
        this.latencies.push(performance.now() - sentAt);
      } else this.failed++;
    }
  }

  private someoneElse(index: number): string {
    const offset = 1 + Math.floor(Math.random() * (this.players.length - 1));
    return this.players[(index + offset) % this.players.length].playerId;
  }

  private reset(): void {
    this.latencies = [];
    this.rejected = {};
    this.failed = 0;
  }

  private figures(): PlayerLoadFigures {
    return {
      acknowledged: this.latencies.length,
      p50: percentile(this.latencies, 0.5),
      p99: percentile(this.latencies, 0.99),
      rejected: this.rejected,
      failed: this.failed,
    };
  }
}
