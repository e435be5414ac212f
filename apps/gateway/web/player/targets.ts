import type { Point } from './interpolation';

interface Targetable extends Point {
  id: string;
  kind: 'player' | 'monster';
  hp: number;
}

const distanceSquared = (a: Point, b: Point) => (a.x - b.x) ** 2 + (a.y - b.y) ** 2;

/** The living monster closest to `from` (ties: the first seen), or undefined when none is in sight. */
export function nearestMonster<E extends Targetable>(from: Point, entities: Iterable<E>, within = Infinity): E | undefined {
  let best: E | undefined;
  let bestDistance = within ** 2;
  for (const entity of entities) {
    if (entity.kind !== 'monster' || entity.hp <= 0) continue;
    const distance = distanceSquared(from, entity);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) [best, bestDistance] = [entity, distance];
  }
  return best;
}

/**
 * What a click at `point` attacks: the monster under it (within `pickRadius`), else the monster nearest to the player,
 * so a click anywhere does what the attack key does.
 */
export function clickTarget<E extends Targetable>(point: Point, self: Point, entities: Iterable<E>, pickRadius: number): E | undefined {
  const all = [...entities];
  return nearestMonster(point, all, pickRadius) ?? nearestMonster(self, all);
}

/** Whether `target` is close enough to `self` to be hit (the zone refuses `out_of_range` otherwise). */
export const inRange = (self: Point, target: Point, range: number): boolean => distanceSquared(self, target) <= range ** 2;
