import type { ZoneEntity, ZoneSight, ZoneTick } from '@app/zone';

/**
 * A client's copy of what it sees of its zone: what the join showed, then each `zone:tick` delta applied on top. A
 * delta for a tick already seen is ignored; a new join (after a reconnect) replaces everything.
 */
export class ZoneReplica {
  readonly entities = new Map<string, ZoneEntity>();
  zoneId = '';
  tick = -1;
  /** The last input of this player the zone applied. */
  ackSeq = -1;

  constructor(
    readonly playerId: string,
    sight: ZoneSight,
  ) {
    this.reset(sight);
  }

  reset(sight: ZoneSight): void {
    this.entities.clear();
    for (const entity of sight.entities) this.entities.set(entity.id, entity);
    this.zoneId = sight.zoneId;
    this.tick = sight.tick;
    this.ackSeq = sight.ackSeq;
  }

  /** Applies a delta; false when it is older than what this replica holds. */
  apply(delta: ZoneTick): boolean {
    if (delta.tick <= this.tick) return false;
    for (const id of delta.removed) this.entities.delete(id);
    for (const entity of delta.entities) this.entities.set(entity.id, entity);
    this.tick = delta.tick;
    this.ackSeq = delta.ackSeq;
    return true;
  }

  /** This player's own entity, while it is in sight of itself (always, unless it left). */
  get self(): ZoneEntity | undefined {
    return this.entities.get(this.playerId);
  }
}
