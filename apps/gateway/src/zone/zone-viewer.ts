import { entityOf, InterestGrid, WorldEntity, ZoneEntity, ZoneSight, ZoneTick, ZoneWorld } from '@app/zone';

/** An entity of one world as every viewer reads it: where it stands, and its wire form, built once per tick. */
interface SeenEntity {
  x: number;
  y: number;
  hp: number;
  wire: ZoneEntity;
}

/**
 * One world of a zone, indexed once for every viewer of it on this gateway. Players crowd into a few cells, so each
 * 3x3 neighbourhood is gathered once per tick and shared by every viewer standing in it.
 */
export class IndexedWorld {
  private readonly byId = new Map<string, SeenEntity>();
  private readonly grid: InterestGrid<SeenEntity>;
  private readonly neighbourhoods = new Map<string, SeenEntity[]>();

  constructor(
    readonly world: ZoneWorld,
    private readonly interestCell: number,
  ) {
    const seen = world.entities.map((entity: WorldEntity) => ({ x: entity[2], y: entity[3], hp: entity[4], wire: entityOf(entity) }));
    for (const entity of seen) this.byId.set(entity.wire.id, entity);
    this.grid = new InterestGrid(interestCell, seen);
  }

  /** What the entity `id` sees: nothing when it is not in this world. */
  sightOf(id: string): readonly SeenEntity[] {
    const self = this.byId.get(id);
    if (!self) return [];
    const key = `${Math.floor(self.x / this.interestCell)},${Math.floor(self.y / this.interestCell)}`;
    let around = this.neighbourhoods.get(key);
    if (!around) {
      around = this.grid.around(self.x, self.y);
      this.neighbourhoods.set(key, around);
    }
    return around;
  }
}

/** What a client was last told of one entity, and the tick it was last in sight. */
interface KnownEntity {
  x: number;
  y: number;
  hp: number;
  seenAt: number;
}

/**
 * What one player's client has been told about its zone: deltas are computed against it, so each tick carries
 * only entities that moved, changed or came into sight, and the ids that left it. Starts from what the join showed.
 * Runs for every viewer at every tick, so it updates what it knows in place instead of building it again.
 */
export class ZoneViewer {
  private readonly known = new Map<string, KnownEntity>();
  private lastTick: number;

  constructor(
    readonly zoneId: string,
    readonly playerId: string,
    sight: ZoneSight,
  ) {
    for (const { id, x, y, hp } of sight.entities) this.known.set(id, { x, y, hp, seenAt: sight.tick });
    this.lastTick = sight.tick;
  }

  /** The delta for this player, or undefined for a world it has already seen (older, or the same tick). */
  next(indexed: IndexedWorld): ZoneTick | undefined {
    const { tick, acks } = indexed.world;
    if (tick <= this.lastTick) return undefined;
    this.lastTick = tick;
    const entities: ZoneEntity[] = [];
    for (const { x, y, hp, wire } of indexed.sightOf(this.playerId)) {
      const known = this.known.get(wire.id);
      if (!known) this.known.set(wire.id, { x, y, hp, seenAt: tick });
      else {
        known.seenAt = tick;
        if (known.x === x && known.y === y && known.hp === hp) continue;
        known.x = x;
        known.y = y;
        known.hp = hp;
      }
      entities.push(wire);
    }
    const removed: string[] = [];
    for (const [id, known] of this.known) {
      if (known.seenAt === tick) continue;
      removed.push(id);
      this.known.delete(id);
    }
    return { tick, ackSeq: acks[this.playerId] ?? -1, entities, removed };
  }
}
