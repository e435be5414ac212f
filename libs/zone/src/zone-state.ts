import { ZoneDefinition } from './zone-catalog';
import { Departures, departuresDigest } from './departures';
import { hashString, TickRandom } from './seeded-random';

/** A direction of travel: each axis -1, 0 or 1. */
export interface Direction {
  x: -1 | 0 | 1;
  y: -1 | 0 | 1;
}

export interface ZonePlayer {
  id: string;
  x: number;
  y: number;
  hp: number;
  /** Where the player's last input points; applied at every tick until the next input. */
  move: Direction;
  /** Sequence number of the last input applied (what `zone:tick` acknowledges). */
  lastSeq: number;
  /** Last tick this player was heard from; long silence removes it (a client that vanished). */
  seenAt: number;
  /** First tick at which its next attack may land. */
  readyAt: number;
  /** The monster it will attack at the next tick. */
  attack?: string;
  /** Set while dead: the tick it comes back at the spawn point. */
  respawnAt?: number;
}

export interface ZoneMonster {
  id: string;
  x: number;
  y: number;
  hp: number;
  home: { x: number; y: number };
  heading: Direction;
  /** Tick at which it picks a new wandering direction. */
  headingUntil: number;
  readyAt: number;
  respawnAt?: number;
}

/**
 * One zone: its last simulated tick, the hash of the world after it, and every entity, players and monsters
 * each sorted by id (the simulation walks them in that order, so it never depends on insertion order).
 */
export interface ZoneState {
  zoneId: string;
  tick: number;
  hash: string;
  players: ZonePlayer[];
  monsters: ZoneMonster[];
  /** Players that left hurt, dead or cooling down, as they will find themselves again (bounded: see departures.ts). */
  departed: Departures;
}

export const STILL: Direction = Object.freeze({ x: 0, y: 0 });

/** Monster ids sort in creation order: `m0001`, `m0002`, ... */
const monsterId = (index: number, total: number) => `m${String(index + 1).padStart(String(total).length, '0')}`;

/** A zone as it starts: its monsters at home, placed by a random source seeded from the zone id alone. */
export function initialZone(zoneId: string, definition: ZoneDefinition | undefined): ZoneState {
  const monsters: ZoneMonster[] = [];
  if (definition) {
    const random = new TickRandom(zoneId, 0);
    for (let index = 0; index < definition.monsters; index++) {
      const home = { x: random.below(definition.width + 1), y: random.below(definition.height + 1) };
      monsters.push({ id: monsterId(index, definition.monsters), ...home, hp: definition.monster.hp, home, heading: STILL, headingUntil: 0, readyAt: 0 });
    }
  }
  const state: ZoneState = { zoneId, tick: 0, hash: '', players: [], monsters, departed: {} };
  return { ...state, hash: zoneHash(state) };
}

/** Where a player appears: near the spawn point, spread by its id so a crowd does not stand on one spot. */
export function spawnPointOf(playerId: string, definition: ZoneDefinition): { x: number; y: number } {
  const spread = hashString(playerId);
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  return {
    x: clamp(definition.spawn.x + (spread % 201) - 100, definition.width),
    y: clamp(definition.spawn.y + ((spread >>> 8) % 201) - 100, definition.height),
  };
}

/**
 * A 64-bit digest (two 32-bit lanes) of everything that steers the simulation. Integer mixing only: fast enough
 * to run every tick on thousands of entities, and identical on every platform.
 */
export function zoneHash(state: Omit<ZoneState, 'hash'>): string {
  let low = 0x811c9dc5;
  let high = 0x01000193;
  const mix = (value: number) => {
    low = Math.imul(low ^ (value | 0), 0x01000193);
    high = Math.imul(high ^ ((value / 0x100000000) | 0) ^ (low >>> 7), 0x5bd1e995);
  };
  mix(state.tick);
  for (const player of state.players) {
    mix(hashString(player.id));
    mix(player.x);
    mix(player.y);
    mix(player.hp);
    mix(player.move.x * 3 + player.move.y);
    mix(player.lastSeq);
    mix(player.seenAt);
    mix(player.readyAt);
    mix(player.attack === undefined ? -1 : hashString(player.attack));
    mix(player.respawnAt ?? -1);
  }
  mix(departuresDigest(state.departed));
  for (const monster of state.monsters) {
    mix(monster.x);
    mix(monster.y);
    mix(monster.hp);
    mix(monster.heading.x * 3 + monster.heading.y);
    mix(monster.headingUntil);
    mix(monster.readyAt);
    mix(monster.respawnAt ?? -1);
  }
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');
  return hex(high) + hex(low);
}
