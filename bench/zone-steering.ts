import { Direction, ZoneDefinition } from '@app/zone';

/** Every way a player can walk; standing still is left out so every input moves someone. */
const WALKING: Direction[] = [-1, 0, 1].flatMap((x) => [-1, 0, 1].map((y) => ({ x, y }) as Direction)).filter(({ x, y }) => x !== 0 || y !== 0);

/** Closer than this to an edge, a player turns inward: a crowd pressed flat against the walls is not a game. */
const EDGE_MARGIN = 1_000;

const inward = (axis: Direction['x'], position: number, size: number): Direction['x'] =>
  position < EDGE_MARGIN ? 1 : position > size - EDGE_MARGIN ? -1 : axis;

/** A new direction for a player at `position`: any way at random, but away from a nearby edge. */
export function nextDirection(position: { x: number; y: number } | undefined, definition: ZoneDefinition, below: (bound: number) => number): Direction {
  const picked = WALKING[below(WALKING.length)];
  if (!position) return picked;
  return { x: inward(picked.x, position.x, definition.width), y: inward(picked.y, position.y, definition.height) };
}
