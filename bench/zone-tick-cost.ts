/**
 * What one tick of a crowded zone costs, in process: `simulateTick` on the arena with its monsters and a crowd
 * of steering players, beside a plain loop that moves as many entities one step with no rules.
 */
import { evolveZone, initialZoneState, simulateTick, TickRandom, ZONES, ZoneState } from '@app/zone';
import { percentile } from './bench-support';
import { nextDirection } from './zone-steering';

const ZONE_ID = 'arena';

export interface TickTimes {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface TickCost {
  players: number;
  monsters: number;
  ticks: number;
  warmupTicks: number;
  /** `simulateTick` alone, ms per tick. */
  simulate: TickTimes;
  /** Every entity copied and moved one step with no rules, ms per tick. */
  plainLoop: TickTimes;
  /** Players still in the zone and monsters alive after the last tick, to show the world stayed busy. */
  after: { players: number; playersAlive: number; monstersAlive: number; tick: number };
}

const timesOf = (samples: number[]): TickTimes => ({
  p50: percentile(samples, 0.5),
  p99: percentile(samples, 0.99),
  max: Math.max(...samples),
  mean: samples.reduce((sum, sample) => sum + sample, 0) / samples.length,
});

/** The arena after `players` joined, each already walking somewhere. */
function crowdedArena(players: number): ZoneState {
  let state = initialZoneState(ZONE_ID);
  const random = new TickRandom(`${ZONE_ID}-bench`, 0);
  for (let index = 0; index < players; index++) state = evolveZone(state, { type: 'player-joined', playerId: `bench-${index}` });
  for (const player of state.players) {
    state = evolveZone(state, {
      type: 'input-received',
      playerId: player.id,
      seq: 1,
      move: nextDirection(undefined, ZONES[ZONE_ID], (bound) => random.below(bound)),
    });
  }
  return state;
}

/**
 * Between two ticks about one player in 15 picks a new direction: each steers every ~1.5 s at 10 Hz, like the
 * SDK players of the process run. Inputs are folded outside the timed part: they are not the tick.
 */
function steerSome(state: ZoneState): ZoneState {
  const random = new TickRandom(`${ZONE_ID}-steering`, state.tick);
  const definition = ZONES[ZONE_ID];
  for (const player of state.players) {
    if (random.below(15) !== 0) continue;
    const move = nextDirection(player, definition, (bound) => random.below(bound));
    state = evolveZone(state, { type: 'input-received', playerId: player.id, seq: player.lastSeq + 1, move });
  }
  return state;
}

export function measureTickCost(players: number, ticks: number, warmupTicks: number): TickCost {
  const definition = ZONES[ZONE_ID];
  let state = crowdedArena(players);
  const simulate: number[] = [];
  for (let index = 0; index < warmupTicks + ticks; index++) {
    state = steerSome(state);
    const started = performance.now();
    state = simulateTick(state, definition).state;
    if (index >= warmupTicks) simulate.push(performance.now() - started);
  }
  if (state.tick !== warmupTicks + ticks) throw new Error(`tick cost: the arena is at tick ${state.tick}, expected ${warmupTicks + ticks}`);
  if (state.players.length !== players) throw new Error(`tick cost: ${state.players.length} players left in the arena, expected ${players}`);
  return {
    players,
    monsters: state.monsters.length,
    ticks,
    warmupTicks,
    simulate: timesOf(simulate),
    plainLoop: timesOf(plainLoop(state, warmupTicks + ticks, warmupTicks)),
    after: {
      players: state.players.length,
      playersAlive: state.players.filter((player) => player.respawnAt === undefined).length,
      monstersAlive: state.monsters.filter((monster) => monster.respawnAt === undefined).length,
      tick: state.tick,
    },
  };
}

/**
 * The baseline: the same entities, each copied into a new object one step further on (as the tick copies every
 * entity before it changes it), and nothing else. What the tick costs beyond it is the rules.
 */
function plainLoop(state: ZoneState, iterations: number, warmup: number): number[] {
  let entities: { x: number; y: number }[] = [...state.players, ...state.monsters];
  const samples: number[] = [];
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    // Alternating direction keeps positions bounded; the copy is what a tick pays per entity.
    const step = index % 2 === 0 ? 1 : -1;
    entities = entities.map((entity) => ({ ...entity, x: entity.x + step, y: entity.y + step }));
    if (index >= warmup) samples.push(performance.now() - started);
  }
  if (entities.length !== state.players.length + state.monsters.length) throw new Error('plain loop lost entities');
  return samples;
}
