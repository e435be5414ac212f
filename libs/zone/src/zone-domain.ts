import { AggregateDomain, parseWith } from '@app/engine';
import { ZoneCommand, zoneCommandSchema } from './zone-commands';
import { decideZone, evolveZone, initialZoneState, ZoneEvent, ZoneReply } from './zone';
import { ZoneState } from './zone-state';
import { zoneView } from './zone-world';

/** 10 Hz unless configured otherwise. */
export const DEFAULT_TICK_MS = 100;
/** A minute at 10 Hz: a takeover re-simulates at most this many ticks after the snapshot it starts from. */
export const DEFAULT_SNAPSHOT_EVERY_TICKS = 600;

/**
 * The zone service on the engine: one aggregate per zone, keyed by zoneId. The owner's clock issues the next
 * tick of every zone with players in it; a zone without players issues none, so it sleeps and logs nothing.
 */
export function zoneDomain(
  tickMs = DEFAULT_TICK_MS,
  snapshotEveryTicks = DEFAULT_SNAPSHOT_EVERY_TICKS,
): AggregateDomain<ZoneState, ZoneCommand, ZoneEvent, ZoneReply> {
  return {
    service: 'zone',
    // 3: departures carry the tick they left at (and are forgotten after a while).
    schemaVersion: 3,
    initial: initialZoneState,
    parseCommand: parseWith(zoneCommandSchema),
    decide: decideZone,
    evolve: evolveZone,
    view: zoneView,
    snapshotEvery: { events: snapshotEveryTicks, counts: (event) => event.type === 'ticked' },
    // Ticks and inputs are idempotent by tick number and seq; remembered, they would crowd out what retries need.
    remembers: (command) => command.type !== 'tick' && command.type !== 'input',
    timer: {
      intervalMs: tickMs,
      commands: (zones) =>
        [...zones.values()]
          .filter((zone) => zone.players.length > 0)
          .map((zone) => ({ aggregateId: zone.zoneId, commandId: `tick:${zone.zoneId}:${zone.tick + 1}`, command: { type: 'tick', tick: zone.tick + 1 } })),
    },
  };
}
