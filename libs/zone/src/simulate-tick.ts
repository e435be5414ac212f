import { ZoneDefinition } from './zone-catalog';
import { InterestGrid } from './interest-grid';
import { TickRandom } from './seeded-random';
import { departureOf, forgetDepartures, withDeparture } from './departures';
import { Direction, spawnPointOf, STILL, ZoneMonster, ZonePlayer, ZoneState, zoneHash } from './zone-state';

/** A monster killed at this tick and what it leaves to the player who dealt the last blow. */
export interface LootDrop {
  playerId: string;
  monsterId: string;
  gold: number;
  items: Record<string, number>;
}

export interface TickResult {
  state: ZoneState;
  drops: LootDrop[];
}

/** Ticks a player may stay silent before it is taken out of the zone (its client is gone). */
export const IDLE_TICKS = 3_000;

const DIRECTIONS: readonly Direction[] = Object.freeze([-1, 0, 1].flatMap((x) => [-1, 0, 1].map((y) => Object.freeze({ x, y }) as Direction)));
const distanceSquared = (a: { x: number; y: number }, b: { x: number; y: number }) => (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
/** Movement per axis: a diagonal covers about the same distance as a straight step (1/sqrt 2 ~ 7071/10000). */
const stepOf = (speed: number, diagonal: boolean) => (diagonal ? Math.trunc((speed * 7_071) / 10_000) : speed);

/** Moves `from` at most `speed` towards `to` (per axis, so it never overshoots). */
function towards(from: { x: number; y: number }, to: { x: number; y: number }, speed: number): { x: number; y: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const step = stepOf(speed, dx !== 0 && dy !== 0);
  return { x: from.x + Math.sign(dx) * Math.min(Math.abs(dx), step), y: from.y + Math.sign(dy) * Math.min(Math.abs(dy), step) };
}

/**
 * One tick of a zone: a pure function of the state (which holds the inputs received since the last tick), the
 * zone's definition and the tick number, which seeds the random source. Integer arithmetic only. Order:
 * players respawn and move, their attacks land, then each monster respawns, chases, strikes or wanders.
 */
export function simulateTick(state: ZoneState, definition: ZoneDefinition): TickResult {
  const tick = state.tick + 1;
  const random = new TickRandom(state.zoneId, tick);
  const drops: LootDrop[] = [];
  // Fresh copies: the tick changes them in place; the given state stays as it was. Departures are copied only
  // when one comes or goes.
  let departed = forgetDepartures(state.departed, tick, definition.player.hp);
  const players: ZonePlayer[] = [];
  for (const player of state.players) {
    if (tick - player.seenAt <= IDLE_TICKS) players.push({ ...player });
    else {
      const departure = departureOf(player, definition.player.hp, tick);
      if (departure) departed = withDeparture(departed, player.id, departure);
    }
  }
  const monsters = state.monsters.map((monster) => ({ ...monster }));
  const monsterById = new Map(monsters.map((monster) => [monster.id, monster]));

  for (const player of players) {
    if (player.respawnAt !== undefined) {
      if (player.respawnAt > tick) continue;
      Object.assign(player, spawnPointOf(player.id, definition), { hp: definition.player.hp });
      delete player.respawnAt;
    }
    const step = stepOf(definition.player.speed, player.move.x !== 0 && player.move.y !== 0);
    player.x = clamp(player.x + player.move.x * step, definition.width);
    player.y = clamp(player.y + player.move.y * step, definition.height);
  }

  for (const player of players) {
    // An attack waits out the cooldown; one on a target that died or walked away is dropped.
    if (player.attack === undefined || player.respawnAt !== undefined || tick < player.readyAt) continue;
    const target = monsterById.get(player.attack);
    delete player.attack;
    if (!target || target.respawnAt !== undefined) continue;
    if (distanceSquared(player, target) > definition.player.attackRange ** 2) continue;
    player.readyAt = tick + definition.player.cooldownTicks;
    target.hp = Math.max(0, target.hp - definition.player.damage);
    if (target.hp > 0) continue;
    target.respawnAt = tick + definition.monster.respawnTicks;
    const { gold, potionChancePercent } = definition.loot;
    const coins = gold.min + random.below(gold.max - gold.min + 1);
    drops.push({ playerId: player.id, monsterId: target.id, gold: coins, items: random.below(100) < potionChancePercent ? { potion: 1 } : {} });
  }

  const living = new InterestGrid(
    definition.monster.aggroRange,
    players.filter((player) => player.respawnAt === undefined),
  );
  for (const monster of monsters) stepMonster(monster, tick, definition, living, random);

  const next = { zoneId: state.zoneId, tick, players, monsters, departed };
  return { state: { ...next, hash: zoneHash(next) }, drops };
}

function stepMonster(monster: ZoneMonster, tick: number, definition: ZoneDefinition, living: InterestGrid<ZonePlayer>, random: TickRandom): void {
  const rules = definition.monster;
  if (monster.respawnAt !== undefined) {
    if (monster.respawnAt > tick) return;
    Object.assign(monster, { ...monster.home, hp: rules.hp, heading: STILL });
    delete monster.respawnAt;
    return;
  }
  const leash = rules.leash ** 2;
  let prey: ZonePlayer | undefined;
  let preyDistance = rules.aggroRange ** 2 + 1;
  for (const player of living.around(monster.x, monster.y)) {
    const distance = distanceSquared(monster, player);
    // Ties go to the lower id: the grid's order within a cell follows the sorted players.
    if (player.hp > 0 && distance < preyDistance && distanceSquared(monster.home, player) <= leash) {
      prey = player;
      preyDistance = distance;
    }
  }
  if (prey) {
    if (preyDistance <= rules.attackRange ** 2) {
      if (tick >= monster.readyAt) strike(monster, prey, tick, definition);
    } else Object.assign(monster, towards(monster, prey, rules.speed));
    return;
  }
  if (distanceSquared(monster, monster.home) > leash) {
    Object.assign(monster, towards(monster, monster.home, rules.speed));
    return;
  }
  if (tick >= monster.headingUntil) {
    monster.heading = DIRECTIONS[random.below(DIRECTIONS.length)];
    monster.headingUntil = tick + 10 + random.below(20);
  }
  const step = stepOf(rules.speed, monster.heading.x !== 0 && monster.heading.y !== 0);
  monster.x = clamp(monster.x + monster.heading.x * step, definition.width);
  monster.y = clamp(monster.y + monster.heading.y * step, definition.height);
}

function strike(monster: ZoneMonster, player: ZonePlayer, tick: number, definition: ZoneDefinition): void {
  monster.readyAt = tick + definition.monster.cooldownTicks;
  player.hp = Math.max(0, player.hp - definition.monster.damage);
  if (player.hp > 0) return;
  player.respawnAt = tick + definition.player.respawnTicks;
  player.move = STILL;
  delete player.attack;
}
