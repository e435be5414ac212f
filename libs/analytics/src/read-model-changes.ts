import { isStorableTime, storableText, storableValue } from './storable';

/** What the economy counts: gold, or one item of the catalog. */
export type Asset = { kind: 'gold' } | { kind: 'item'; itemId: string };

/** The four ways goods move, as counted per minute of log time. */
export interface Flows {
  granted: number;
  looted: number;
  /** Items used or discarded; gold is never consumed. */
  consumed: number;
  /** Completed transfers: what receivers got (a send that was refunded is no transfer). */
  transferred: number;
}

/** One event that touched a player, where it is in the log, and when (its command's `issuedAt`). */
export interface HistoryEntry {
  playerId: string;
  at: number;
  service: string;
  type: string;
  event: unknown;
  commandId: string;
  topic: string;
  partition: number;
  offset: number;
  /** The event's place among its record's events: with topic, partition and offset, the entry's identity. */
  index: number;
}

/** What a zone's kills brought: one kill per loot drop, and what the killers' inventories credited. */
export interface ZoneTally {
  kills: number;
  lootGold: number;
  lootItems: Record<string, number>;
}

export const noFlows = (): Flows => ({ granted: 0, looted: 0, consumed: 0, transferred: 0 });
const noTally = (): ZoneTally => ({ kills: 0, lootGold: 0, lootItems: {} });
const assetKey = (asset: Asset) => (asset.kind === 'gold' ? 'gold' : `item:${asset.itemId}`);

/** A record's events are data from the log: what does not fit a read-model column is refused here, before SQL sees it. */
function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string (${JSON.stringify(value) ?? String(value)})`);
  return storableText(value);
}
function amount(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} is not a whole number (${JSON.stringify(value) ?? String(value)})`);
  return value as number;
}
function time(at: unknown): number {
  if (!isStorableTime(at)) throw new Error(`the time ${JSON.stringify(at) ?? String(at)} is not a date between the years 1 and 9999 (epoch ms)`);
  return at;
}

/**
 * The read-model changes of a batch of records, summed per row as they come (economy per minute and asset, zones per
 * zone), so the store writes each row once with `+ excluded`, never reading it first. History entries keep log order.
 * Everything in it can be stored: text is made storable (`storableText`, so two ids that store alike are one row),
 * amounts are whole numbers and times are dates, or the add throws and the record that asked for it is refused.
 */
export class ReadModelChanges {
  readonly economy = new Map<string, { minute: number; asset: Asset; flows: Flows }>();
  readonly zones = new Map<string, ZoneTally>();
  readonly history: HistoryEntry[] = [];

  /** Adds `flows` to `asset` in the minute of `at` (epoch ms). */
  addFlows(at: number, asset: Asset, flows: Partial<Flows>): void {
    const minute = Math.floor(time(at) / 60_000) * 60_000;
    const stored: Asset = asset.kind === 'gold' ? asset : { kind: 'item', itemId: text(asset.itemId, 'an item id') };
    const added = Object.entries(flows).map(([flow, value]) => [flow as keyof Flows, amount(value, `the ${flow} amount`)] as const);
    const key = `${minute}|${assetKey(stored)}`;
    const row = this.economy.get(key) ?? { minute, asset: stored, flows: noFlows() };
    for (const [flow, value] of added) row.flows[flow] += value;
    this.economy.set(key, row);
  }

  addKills(zoneId: string, kills: number): void {
    const counted = amount(kills, 'the kills');
    this.zone(zoneId).kills += counted;
  }

  addLoot(zoneId: string, gold: number, items: Record<string, number>): void {
    const lootGold = amount(gold, 'the looted gold');
    const lootItems = Object.entries(items).map(([itemId, quantity]) => [text(itemId, 'an item id'), amount(quantity, `the looted ${itemId}`)] as const);
    const tally = this.zone(zoneId);
    tally.lootGold += lootGold;
    for (const [itemId, quantity] of lootItems) tally.lootItems[itemId] = (tally.lootItems[itemId] ?? 0) + quantity;
  }

  addHistory(entry: HistoryEntry): void {
    this.history.push({
      ...entry,
      playerId: text(entry.playerId, 'the player id'),
      at: time(entry.at),
      type: text(entry.type, 'the event type'),
      event: storableValue(entry.event),
      commandId: text(entry.commandId, 'the command id'),
    });
  }

  /** Adds everything `other` holds (one record's changes, once all of them were made). */
  merge(other: ReadModelChanges): void {
    for (const { minute, asset, flows } of other.economy.values()) this.addFlows(minute, asset, flows);
    for (const [zoneId, tally] of other.zones) {
      this.addKills(zoneId, tally.kills);
      this.addLoot(zoneId, tally.lootGold, tally.lootItems);
    }
    this.history.push(...other.history);
  }

  private zone(zoneId: string): ZoneTally {
    const stored = text(zoneId, 'a zone id');
    const tally = this.zones.get(stored) ?? noTally();
    this.zones.set(stored, tally);
    return tally;
  }
}
