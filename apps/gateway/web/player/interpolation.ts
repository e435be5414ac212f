/** A point in world units. */
export interface Point {
  x: number;
  y: number;
}

interface Frame {
  /** When the tick arrived, in the clock `push` and `positionOf` are given (performance.now() in the page). */
  at: number;
  positions: ReadonlyMap<string, Point>;
}

/**
 * Smooth movement from 10 Hz ticks: an entity is drawn between where the last two ticks put it, moving from the older
 * to the newer over one tick's time after the newer arrived. That draws the world up to one tick late, which is what
 * lets every frame in between be a real position rather than a guess.
 */
export class TickInterpolator {
  private previous?: Frame;
  private latest?: Frame;

  /**
   * @param tickMs how long the walk from one tick's position to the next takes on screen (the zone's tick).
   * @param snapDistance a farther jump between two ticks (a respawn) is not walked but jumped.
   */
  constructor(
    private readonly tickMs: number,
    private readonly snapDistance: number,
  ) {}

  /** A new tick arrived at `at`: where every entity in sight is now. */
  push(at: number, entities: Iterable<{ id: string } & Point>): void {
    this.previous = this.latest;
    this.latest = { at, positions: positionsOf(entities) };
  }

  /** A fresh sight (a join, a rejoin after a reconnect): nothing to walk from. */
  reset(at: number, entities: Iterable<{ id: string } & Point>): void {
    this.previous = undefined;
    this.latest = { at, positions: positionsOf(entities) };
  }

  /** Where to draw `id` at `now`; undefined when the last tick did not show it. */
  positionOf(id: string, now: number): Point | undefined {
    const to = this.latest?.positions.get(id);
    if (!to || !this.latest) return undefined;
    const from = this.previous?.positions.get(id);
    if (!from || Math.hypot(to.x - from.x, to.y - from.y) > this.snapDistance) return to;
    const progress = Math.min(1, Math.max(0, (now - this.latest.at) / this.tickMs));
    return { x: from.x + (to.x - from.x) * progress, y: from.y + (to.y - from.y) * progress };
  }
}

function positionsOf(entities: Iterable<{ id: string } & Point>): Map<string, Point> {
  const positions = new Map<string, Point>();
  for (const { id, x, y } of entities) positions.set(id, { x, y });
  return positions;
}
