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

/**
 * The read-model changes of a batch of records, summed per row as they come (economy per minute and asset, zones per
 * zone), so the store writes each row once with `+ excluded`, never reading it first. History entries keep log order.
 */
export class ReadModelChanges {
  readonly economy = new Map<string, { minute: number; asset: Asset; flows: Flows }>();
  readonly zones = new Map<string, ZoneTally>();
  readonly history: HistoryEntry[] = [];

  /** Adds `flows` to `asset` in the minute of `at` (epoch ms). */
  addFlows(at: number, asset: Asset, flows: Partial<Flows>): void {
    const minute = Math.floor(at / 60_000) * 60_000;
    const key = `${minute}|${assetKey(asset)}`;
    const row = this.economy.get(key) ?? { minute, asset, flows: noFlows() };
    for (const [flow, amount] of Object.entries(flows) as [keyof Flows, number][]) row.flows[flow] += amount;
    this.economy.set(key, row);
  }

  addKills(zoneId: string, kills: number): void {
    this.zone(zoneId).kills += kills;
  }

  addLoot(zoneId: string, gold: number, items: Record<string, number>): void {
    const tally = this.zone(zoneId);
    tally.lootGold += gold;
    for (const [itemId, quantity] of Object.entries(items)) tally.lootItems[itemId] = (tally.lootItems[itemId] ?? 0) + quantity;
  }

  addHistory(entry: HistoryEntry): void {
    this.history.push(entry);
  }

  get isEmpty(): boolean {
    return this.economy.size === 0 && this.zones.size === 0 && this.history.length === 0;
  }

  private zone(zoneId: string): ZoneTally {
    const tally = this.zones.get(zoneId) ?? noTally();
    this.zones.set(zoneId, tally);
    return tally;
  }
}
