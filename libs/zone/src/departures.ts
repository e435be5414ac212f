import { hashString } from './seeded-random';
import type { ZonePlayer } from './zone-state';

/**
 * What a player that left hurt, dead or cooling down finds again when it comes back (leaving heals nothing), and
 * the tick it left at: memory of it fades, so a zone remembers a bounded number of players however many ever left.
 */
export type DepartedPlayer = Pick<ZonePlayer, 'hp' | 'readyAt' | 'respawnAt'> & { leftAt: number };

export type Departures = Readonly<Record<string, DepartedPlayer>>;

/** An hour at 10 Hz: a player away longer comes back whole (ticks count only while someone is in the zone). */
export const DEPARTED_TICKS = 36_000;
/** The most departed players a zone remembers; past it, the one that left first is forgotten (comes back whole). */
export const MAX_DEPARTED = 1_000;

/** A player taken out of the zone at `tick`, as it will find itself again; undefined when it left whole. */
export function departureOf(player: ZonePlayer, fullHp: number, tick: number): DepartedPlayer | undefined {
  const dead = player.respawnAt !== undefined;
  if (!dead && player.hp >= fullHp && player.readyAt <= tick) return undefined;
  const { hp, readyAt, respawnAt } = player;
  return dead ? { hp, readyAt, respawnAt, leftAt: tick } : { hp, readyAt, leftAt: tick };
}

/** Orders departures oldest first: by the tick they left at, then by id (never by insertion order). */
const older = ([idA, a]: [string, DepartedPlayer], [idB, b]: [string, DepartedPlayer]) => a.leftAt - b.leftAt || (idA < idB ? -1 : idA > idB ? 1 : 0);

/** `departed` with one more, the oldest forgotten first if it would hold more than `MAX_DEPARTED`. Never changes `departed`. */
export function withDeparture(departed: Departures, playerId: string, departure: DepartedPlayer): Departures {
  const others = { ...departed };
  delete others[playerId];
  const entries = Object.entries(others);
  if (entries.length >= MAX_DEPARTED) {
    // Rare (a zone remembering that many players), so a full sort is fine here; it keeps the newest MAX_DEPARTED - 1.
    for (const [id] of entries.sort(older).slice(0, entries.length - MAX_DEPARTED + 1)) delete others[id];
  }
  return { ...others, [playerId]: departure };
}

/**
 * Forgets, at `tick`, departures that have nothing left to remember (cooldown over, and either a death served or
 * full health) and any older than `DEPARTED_TICKS`. Returns `departed` itself when nothing goes, so an idle tick
 * copies nothing. A player who comes back after that starts whole, exactly as if it had left whole.
 */
export function forgetDepartures(departed: Departures, tick: number, fullHp: number): Departures {
  let kept: Record<string, DepartedPlayer> | undefined;
  for (const playerId in departed) {
    const entry = departed[playerId];
    const served = entry.respawnAt !== undefined ? entry.respawnAt <= tick : entry.hp >= fullHp;
    if ((served && entry.readyAt <= tick) || tick - entry.leftAt > DEPARTED_TICKS) {
      kept ??= { ...departed };
      delete kept[playerId];
    }
  }
  return kept ?? departed;
}

/**
 * A 32-bit digest of every departure, independent of their order: each entry is hashed alone and the results are
 * summed, so no tick sorts the keys.
 */
export function departuresDigest(departed: Departures): number {
  let sum = 0;
  let count = 0;
  for (const playerId in departed) {
    const { hp, readyAt, respawnAt, leftAt } = departed[playerId];
    let entry = hashString(playerId);
    for (const value of [hp, readyAt, respawnAt ?? -1, leftAt]) entry = Math.imul(entry ^ (value | 0), 0x01000193) ^ (entry >>> 15);
    sum = (sum + entry) | 0;
    count++;
  }
  return Math.imul(sum ^ count, 0x5bd1e995);
}
