import { GameClient } from '@app/sdk';
import { ZONES, ZoneTick } from '@app/zone';
import { randomSuffix } from '../test/support/random-names';
import { nextDirection } from './zone-steering';

/** A player steers again after 1-2 s: about 0.7 events/s per socket, far under the gateway's 20/s. */
/**
 * Bytes are measured on one message in this many per player and scaled: encoding every delta again here took as
 * much CPU as the gateway's fan-out, and the players' event loop is on the measured input-to-ack path.
 */
const BYTES_SAMPLED_ONE_IN = 10;
const STEER_MIN_MS = 1_000;
const STEER_SPREAD_MS = 1_000;

export interface FanOutFigures {
  /** `zone:tick` messages the players' SDKs applied since the last reset. */
  messages: number;
  /** Their payloads as JSON (what Socket.IO carries besides its framing), from one message in `BYTES_SAMPLED_ONE_IN`. */
  bytes: number;
  entities: number;
  /** Ticks a player was not sent: the difference between consecutive ticks, less one, summed. */
  ticksSkipped: number;
  /** Fewest messages one player received: a player left out would show here. */
  fewestPerPlayer: number;
  /** Ticks a player received that were not newer than the one before: the SDK must never see these. */
  outOfOrder: number;
  /** From sending an input to the first tick that acknowledges it (`ackSeq`), in ms, since the last reset. */
  inputToAck: number[];
}

interface Received {
  messages: number;
  bytes: number;
  entities: number;
  skipped: number;
  outOfOrder: number;
  lastTick: number;
}

/**
 * SDK players in one zone, each steering a new way every 1-2 s, counting the `zone:tick` deltas the gateway
 * pushes them. Counted as the SDK hands them on (after its replica applied them), which is what a game sees.
 */
export class SteeringPlayers {
  private readonly received: Received[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly lastSeq: number[];
  /** Per player, the input awaiting its acknowledgement and when it was sent. */
  private readonly awaitingAck: ({ seq: number; sentAt: number } | undefined)[];
  private inputToAck: number[] = [];
  private steering = false;

  private constructor(
    readonly players: GameClient[],
    private readonly zoneId: string,
  ) {
    this.received = players.map(() => ({ messages: 0, bytes: 0, entities: 0, skipped: 0, outOfOrder: 0, lastTick: -1 }));
    this.lastSeq = players.map(() => 0);
    this.awaitingAck = players.map(() => undefined);
    players.forEach((player, index) =>
      player.onZone((_zone, tick) => {
        if (tick) this.count(index, tick);
      }),
    );
  }

  /** Logs `count` players in and joins them to `zoneId`, 25 at a time (each join is a command through the log). */
  static async join(url: string, zoneId: string, count: number): Promise<SteeringPlayers> {
    const suffix = randomSuffix();
    const players: GameClient[] = [];
    try {
      for (let first = 0; first < count; first += 25) {
        const names = Array.from({ length: Math.min(25, count - first) }, (_, offset) => `z${suffix}_${first + offset}`);
        const batch = await Promise.all(names.map((name) => GameClient.login({ url }, name)));
        players.push(...batch);
        await Promise.all(batch.map((player) => player.joinZone(zoneId)));
      }
    } catch (error) {
      for (const player of players) player.close();
      throw error;
    }
    return new SteeringPlayers(players, zoneId);
  }

  startSteering(): void {
    this.steering = true;
    this.players.forEach((_, index) => this.steerLater(index, Math.random() * STEER_MIN_MS));
  }

  stopSteering(): void {
    this.steering = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  resetCounts(): void {
    this.inputToAck = [];
    for (const received of this.received) Object.assign(received, { messages: 0, bytes: 0, entities: 0, skipped: 0, outOfOrder: 0 });
  }

  figures(): FanOutFigures {
    const sum = (of: (received: Received) => number) => this.received.reduce((total, received) => total + of(received), 0);
    return {
      messages: sum((received) => received.messages),
      bytes: sum((received) => received.bytes),
      entities: sum((received) => received.entities),
      ticksSkipped: sum((received) => received.skipped),
      fewestPerPlayer: Math.min(...this.received.map((received) => received.messages)),
      outOfOrder: sum((received) => received.outOfOrder),
      inputToAck: [...this.inputToAck],
    };
  }

  /** Players whose replica has not acknowledged their last input yet (empty once the zone applied them all). */
  unacknowledged(): string[] {
    return this.players.filter((player, index) => (player.zone?.ackSeq ?? -1) < this.lastSeq[index]).map((player) => player.playerId);
  }

  /** The zone's newest tick as each player's replica holds it. */
  replicaTicks(): number[] {
    return this.players.map((player) => player.zone?.tick ?? -1);
  }

  close(): void {
    this.stopSteering();
    for (const player of this.players) player.close();
  }

  private steerLater(index: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.steering) return;
      const player = this.players[index];
      const { x, y } = nextDirection(player.zone?.self, ZONES[this.zoneId], (bound) => Math.floor(Math.random() * bound));
      this.lastSeq[index] = player.move(x, y);
      this.awaitingAck[index] = { seq: this.lastSeq[index], sentAt: performance.now() };
      this.steerLater(index, STEER_MIN_MS + Math.random() * STEER_SPREAD_MS);
    }, delayMs);
    this.timers.add(timer);
  }

  private count(index: number, tick: ZoneTick): void {
    const awaiting = this.awaitingAck[index];
    if (awaiting && tick.ackSeq >= awaiting.seq) {
      this.inputToAck.push(performance.now() - awaiting.sentAt);
      this.awaitingAck[index] = undefined;
    }
    const received = this.received[index];
    if (tick.tick <= received.lastTick) received.outOfOrder++;
    else if (received.lastTick >= 0) received.skipped += tick.tick - received.lastTick - 1;
    received.lastTick = Math.max(received.lastTick, tick.tick);
    received.messages++;
    if (received.messages % BYTES_SAMPLED_ONE_IN === 1) received.bytes += BYTES_SAMPLED_ONE_IN * Buffer.byteLength(JSON.stringify(tick));
    received.entities += tick.entities.length;
  }
}
