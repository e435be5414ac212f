import { entityOf, InterestGrid, WorldEntity, ZoneEntity, ZoneSight, ZoneTick, ZoneWorld } from '@app/zone';

/** One world of a zone, indexed once for every viewer of it on this gateway. */
export class IndexedWorld {
  readonly byId: Map<string, WorldEntity>;
  readonly grid: InterestGrid<{ x: number; y: number; entity: WorldEntity }>;

  constructor(
    readonly world: ZoneWorld,
    interestCell: number,
  ) {
    this.byId = new Map(world.entities.map((entity) => [entity[0], entity]));
    this.grid = new InterestGrid(
      interestCell,
      world.entities.map((entity) => ({ x: entity[2], y: entity[3], entity })),
    );
  }
}

const fingerprint = ([, , x, y, hp]: WorldEntity) => `${x},${y},${hp}`;

/**
 * What one player's client has been told about its zone: deltas are computed against it, so each tick carries
 * only entities that moved, changed or came into sight, and the ids that left it. Starts from what the join showed.
 */
export class ZoneViewer {
  private known = new Map<string, string>();
  private lastTick: number;

  constructor(
    readonly zoneId: string,
    readonly playerId: string,
    sight: ZoneSight,
  ) {
    for (const { id, kind, x, y, hp } of sight.entities) this.known.set(id, fingerprint([id, kind, x, y, hp]));
    this.lastTick = sight.tick;
  }

  /** The delta for this player, or undefined for a world it has already seen (older, or the same tick). */
  next(indexed: IndexedWorld): ZoneTick | undefined {
    const { world } = indexed;
    if (world.tick <= this.lastTick) return undefined;
    this.lastTick = world.tick;
    const self = indexed.byId.get(this.playerId);
    const visible = self ? indexed.grid.around(self[2], self[3]).map(({ entity }) => entity) : [];
    const now = new Map<string, string>();
    const entities: ZoneEntity[] = [];
    for (const entity of visible) {
      const print = fingerprint(entity);
      now.set(entity[0], print);
      if (this.known.get(entity[0]) !== print) entities.push(entityOf(entity));
    }
    const removed = [...this.known.keys()].filter((id) => !now.has(id));
    this.known = now;
    return { tick: world.tick, ackSeq: world.acks[this.playerId] ?? -1, entities, removed };
  }
}
