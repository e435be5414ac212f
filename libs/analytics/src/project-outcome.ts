import type { LogRecord } from '@app/engine';
import type { InventoryEvent } from '@app/inventory';
import type { ZoneEvent } from '@app/zone';
import { ReadModelChanges } from './read-model-changes';

/** The services whose events topics are projected. */
export const PROJECTED_SERVICES = ['inventory', 'zone'] as const;
export type ProjectedService = (typeof PROJECTED_SERVICES)[number];

export type OutcomeRecord = Extract<LogRecord, { type: 'outcome' }>;

/** Where a counted outcome sits in the log, and the time Kafka stamped on it (for records without `issuedAt`). */
export interface RecordPlace {
  service: ProjectedService;
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

/**
 * What one counted outcome record changes in the read models, added to `changes`. Pure: the same record always
 * gives the same changes, which is what lets the store apply each record exactly once and be exact.
 */
export function projectOutcome(record: OutcomeRecord, place: RecordPlace, changes: ReadModelChanges): void {
  const at = record.issuedAt ?? place.timestamp;
  if (place.service === 'inventory') projectInventory(record, place, at, changes);
  else projectZone(record, place, at, changes);
}

function projectInventory(record: OutcomeRecord, place: RecordPlace, at: number, changes: ReadModelChanges): void {
  (record.events as InventoryEvent[]).forEach((event, index) => {
    changes.addHistory({ ...historyPlace(record, place, at, index), playerId: record.aggregateId, service: 'inventory', type: event.type, event });
    countInventoryEvent(event, at, changes);
  });
}

/** The economy's share of one inventory event: transfers count when received, refunds undo nothing counted. */
function countInventoryEvent(event: InventoryEvent, at: number, changes: ReadModelChanges): void {
  switch (event.type) {
    case 'granted':
    case 'looted': {
      const flow = event.type === 'granted' ? 'granted' : 'looted';
      if (event.gold !== 0) changes.addFlows(at, { kind: 'gold' }, { [flow]: event.gold });
      for (const [itemId, quantity] of Object.entries(event.items)) changes.addFlows(at, { kind: 'item', itemId }, { [flow]: quantity });
      if (event.type === 'looted') {
        const zoneId = zoneOfLoot(event.lootId);
        if (zoneId !== undefined) changes.addLoot(zoneId, event.gold, event.items);
      }
      return;
    }
    case 'used':
      return changes.addFlows(at, { kind: 'item', itemId: event.itemId }, { consumed: 1 });
    case 'discarded':
      return changes.addFlows(at, { kind: 'item', itemId: event.itemId }, { consumed: event.quantity });
    case 'gold-received':
      return changes.addFlows(at, { kind: 'gold' }, { transferred: event.amount });
    case 'item-received':
      return changes.addFlows(at, { kind: 'item', itemId: event.itemId }, { transferred: event.quantity });
    // Goods that change hands or places without entering or leaving the economy (a refund returns what a send took).
    case 'registered':
    case 'equipped':
    case 'unequipped':
    case 'gold-sent':
    case 'gold-refunded':
    case 'item-sent':
    case 'item-refunded':
      return;
    default:
      return notCounted(event);
  }
}

/** Every event but a player's steering (one per input, many a second): joins, leaves, attacks. */
function projectZone(record: OutcomeRecord, place: RecordPlace, at: number, changes: ReadModelChanges): void {
  (record.events as ZoneEvent[]).forEach((event, index) => {
    if (event.type === 'input-received' || event.type === 'ticked') return;
    changes.addHistory({ ...historyPlace(record, place, at, index), playerId: event.playerId, service: 'zone', type: event.type, event });
  });
  // A kill is one loot drop in the tick's outbox (a monster killed drops once, to its killer's inventory).
  const kills = (record.outbox ?? []).filter((command) => (command.command as { type?: unknown } | null)?.type === 'loot').length;
  if (kills > 0) changes.addKills(record.aggregateId, kills);
}

const historyPlace = (record: OutcomeRecord, place: RecordPlace, at: number, index: number) => ({
  at,
  commandId: record.commandId,
  topic: place.topic,
  partition: place.partition,
  offset: place.offset,
  index,
});

/** `loot:<zoneId>:<tick>:<monsterId>` (libs/zone) -> zoneId; undefined for a loot id of another shape. */
export function zoneOfLoot(lootId: string): string | undefined {
  const parts = lootId.split(':');
  return parts.length >= 4 && parts[0] === 'loot' ? parts.slice(1, -2).join(':') : undefined;
}

/**
 * An event type this projection does not know yet (the log may hold events newer than this code): it is in the
 * player's history but moves no total. A new type in the domain's union fails to compile here until it is decided.
 */
function notCounted(_event: never): void {}
