import { ZoneEvent, visibleEntities, ZoneEntity } from './zone';
import { ZoneState } from './zone-state';

/** An entity on the wire, compact because a zone sends every one of them every tick: `[id, kind, x, y, hp]`. */
export type WorldEntity = [id: string, kind: ZoneEntity['kind'], x: number, y: number, hp: number];

/**
 * One tick of a zone as the gateways receive it on `<prefix>zone.changes`: every entity a client may see and the
 * sequence number of each player's last applied input. Each gateway cuts it down to each player's area of interest.
 */
export interface ZoneWorld {
  zoneId: string;
  tick: number;
  entities: WorldEntity[];
  acks: Record<string, number>;
}

export function worldOf(state: ZoneState): ZoneWorld {
  const acks: Record<string, number> = {};
  for (const player of state.players) acks[player.id] = player.lastSeq;
  return { zoneId: state.zoneId, tick: state.tick, entities: visibleEntities(state).map(({ id, kind, x, y, hp }) => [id, kind, x, y, hp]), acks };
}

/** A zone is worth publishing once per tick: inputs and joins between ticks show in the next one. */
export const zoneView = (_zoneId: string, state: ZoneState, events: readonly ZoneEvent[]): ZoneWorld | undefined =>
  events.some((event) => event.type === 'ticked') ? worldOf(state) : undefined;

/** PROTOCOL.md `zone:tick`: what changed in one player's area of interest since the last one it was sent. */
export interface ZoneTick {
  tick: number;
  /** The player's last applied input (-1 before the first). */
  ackSeq: number;
  /** Entities that came into sight or changed. */
  entities: ZoneEntity[];
  /** Ids that left sight, died or left the zone. */
  removed: string[];
}

export const entityOf = ([id, kind, x, y, hp]: WorldEntity): ZoneEntity => ({ id, kind, x, y, hp });
