/**
 * What a zone is made of. Distances are integer world units, durations whole ticks: the simulation uses
 * integer arithmetic only, so every platform computes the same world.
 */
export interface ZoneDefinition {
  width: number;
  height: number;
  /** Where players appear when they join and after they die. */
  spawn: { x: number; y: number };
  monsters: number;
  player: { speed: number; hp: number; attackRange: number; damage: number; cooldownTicks: number; respawnTicks: number };
  monster: {
    speed: number;
    hp: number;
    aggroRange: number;
    attackRange: number;
    damage: number;
    cooldownTicks: number;
    respawnTicks: number;
    /** How far from its spawn point a monster wanders or chases before it turns home. */
    leash: number;
  };
  /** Side of one area-of-interest cell: a player sees the entities of its cell and the eight around it. */
  interestCell: number;
  loot: { gold: { min: number; max: number }; potionChancePercent: number };
}

const standard = {
  player: { speed: 30, hp: 100, attackRange: 120, damage: 20, cooldownTicks: 5, respawnTicks: 30 },
  monster: { speed: 15, hp: 60, aggroRange: 300, attackRange: 60, damage: 5, cooldownTicks: 10, respawnTicks: 100, leash: 600 },
  interestCell: 500,
  loot: { gold: { min: 5, max: 15 }, potionChancePercent: 20 },
};

/** Every zone that exists; `zone:join` to any other id is `not_found`. */
export const ZONES: Readonly<Record<string, ZoneDefinition>> = {
  meadow: { width: 2_000, height: 2_000, spawn: { x: 1_000, y: 1_000 }, monsters: 40, ...standard },
  /** A crowded field: the size the benchmark measures (500 players, 1,000 monsters). */
  arena: { width: 8_000, height: 8_000, spawn: { x: 4_000, y: 4_000 }, monsters: 1_000, ...standard },
};

export const zoneOf = (zoneId: string): ZoneDefinition | undefined => (Object.hasOwn(ZONES, zoneId) ? ZONES[zoneId] : undefined);
