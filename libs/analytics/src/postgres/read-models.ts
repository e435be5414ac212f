import { DataSource } from 'typeorm';
import { encodeHistoryCursor, HistoryCursor } from '../history-cursor';
import { PartitionState, readPartitions } from './projection-store';

export interface GoldTotals {
  total: number;
  granted: number;
  looted: number;
  transferred: number;
}
export interface ItemTotals {
  total: number;
  granted: number;
  looted: number;
  consumed: number;
  transferred: number;
}
export interface EconomyMinute {
  minute: string;
  gold: { granted: number; looted: number; transferred: number };
  items: Record<string, { granted: number; looted: number; consumed: number; transferred: number }>;
}
export interface Economy {
  gold: GoldTotals;
  items: Record<string, ItemTotals>;
  perMinute: EconomyMinute[];
}

export interface HistoryEvent {
  at: string;
  service: string;
  type: string;
  event: unknown;
  source: { commandId: string; partition: number; offset: number };
}
export interface HistoryPage {
  events: HistoryEvent[];
  next: string | null;
}

export interface ZoneStats {
  zoneId: string;
  kills: number;
  loot: { gold: number; items: Record<string, number> };
}

interface FlowRow {
  asset_kind: 'gold' | 'item';
  item_id: string;
  granted: string;
  looted: string;
  consumed: string;
  transferred: string;
}

/** Minutes with activity listed by `GET /admin/economy`, newest; older ones still count in the totals. */
export const ECONOMY_MINUTES = 60;

const flows = (row: FlowRow) => ({
  granted: Number(row.granted),
  looted: Number(row.looted),
  consumed: Number(row.consumed),
  transferred: Number(row.transferred),
});

/** The queries behind the admin analytics endpoints (docs/analytics.md); read-only. */
export class AnalyticsReadModels {
  constructor(private readonly dataSource: DataSource) {}

  /** Totals over every minute, and the last minutes with activity, oldest first. */
  async economy(): Promise<Economy> {
    return (await this.economyAndPositions([])).economy;
  }

  /**
   * The economy, and the stored positions of the partitions of `topics`, read in one snapshot (a REPEATABLE READ,
   * read-only transaction): a batch that commits meanwhile is in all of it or in none, so totals, minutes and positions
   * agree (totals equal the sum of the minutes; once `behind` is 0, totals hold every record). Totals sum the minute
   * rows on each read: a totals table kept by the projection would be the next step for very long histories.
   */
  async economyAndPositions(topics: string[]): Promise<{ economy: Economy; partitions: PartitionState[] }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const totals: FlowRow[] = await manager.query(
        `SELECT "asset_kind", "item_id", sum("granted") AS "granted", sum("looted") AS "looted", sum("consumed") AS "consumed", sum("transferred") AS "transferred"
           FROM "analytics_economy_minutes" GROUP BY "asset_kind", "item_id" ORDER BY "asset_kind", "item_id"`,
      );
      const minutes: (FlowRow & { minute: Date })[] = await manager.query(
        `SELECT "minute", "asset_kind", "item_id", "granted", "looted", "consumed", "transferred" FROM "analytics_economy_minutes"
          WHERE "minute" IN (SELECT DISTINCT "minute" FROM "analytics_economy_minutes" ORDER BY "minute" DESC LIMIT $1)
          ORDER BY "minute", "asset_kind", "item_id"`,
        [ECONOMY_MINUTES],
      );
      const partitions = topics.length === 0 ? [] : await readPartitions(manager, topics);
      return { economy: economyOf(totals, minutes), partitions };
    });
  }

  /**
   * A player's events, oldest first: by the time of their commands, then by their place in the log (so a player's
   * inventory and zone events interleave by time whichever partition was projected first), from after `after`, at
   * most `limit`. Keyset paging over the index `analytics_player_events_by_player_time`.
   */
  async history(playerId: string, after: HistoryCursor | undefined, limit: number): Promise<HistoryPage> {
    const order = `"at", "service", "topic", "partition", "offset", "event_index"`;
    const rows: {
      at: Date;
      service: string;
      topic: string;
      partition: number;
      offset: string;
      event_index: number;
      type: string;
      event: unknown;
      command_id: string;
    }[] = await this.dataSource.query(
      `SELECT ${order}, "type", "event", "command_id" FROM "analytics_player_events"
          WHERE "player_id" = $1 ${after ? `AND (${order}) > ($3::timestamptz, $4, $5, $6, $7, $8)` : ''}
          ORDER BY ${order} LIMIT $2`,
      [playerId, limit + 1, ...(after ? [after.at, after.service, after.topic, after.partition, after.offset, after.index] : [])],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map((row) => ({
        at: row.at.toISOString(),
        service: row.service,
        type: row.type,
        event: row.event,
        source: { commandId: row.command_id, partition: row.partition, offset: Number(row.offset) },
      })),
      next:
        rows.length > limit
          ? encodeHistoryCursor({
              at: last.at.toISOString(),
              service: last.service,
              topic: last.topic,
              partition: last.partition,
              offset: Number(last.offset),
              index: last.event_index,
            })
          : null,
    };
  }

  async zoneStats(zoneId: string): Promise<ZoneStats> {
    const [stats]: { kills: string; loot_gold: string }[] = await this.dataSource.query(
      `SELECT "kills", "loot_gold" FROM "analytics_zone_stats" WHERE "zone_id" = $1`,
      [zoneId],
    );
    const items: { item_id: string; quantity: string }[] = await this.dataSource.query(
      `SELECT "item_id", "quantity" FROM "analytics_zone_loot_items" WHERE "zone_id" = $1 ORDER BY "item_id"`,
      [zoneId],
    );
    return {
      zoneId,
      kills: Number(stats?.kills ?? 0),
      loot: { gold: Number(stats?.loot_gold ?? 0), items: Object.fromEntries(items.map((row) => [row.item_id, Number(row.quantity)])) },
    };
  }
}

/** The answer of `GET /admin/economy` (without `projection`) from the totals per asset and the last minutes' rows. */
function economyOf(totals: FlowRow[], minutes: (FlowRow & { minute: Date })[]): Economy {
  const gold: GoldTotals = { total: 0, granted: 0, looted: 0, transferred: 0 };
  const items: Record<string, ItemTotals> = {};
  for (const row of totals) {
    const { granted, looted, consumed, transferred } = flows(row);
    // A transfer moves goods between players: it never changes what is in circulation.
    if (row.asset_kind === 'gold') Object.assign(gold, { total: granted + looted, granted, looted, transferred });
    else items[row.item_id] = { total: granted + looted - consumed, granted, looted, consumed, transferred };
  }
  const perMinute = new Map<string, EconomyMinute>();
  for (const row of minutes) {
    const minute = row.minute.toISOString();
    const entry = perMinute.get(minute) ?? { minute, gold: { granted: 0, looted: 0, transferred: 0 }, items: {} };
    const { granted, looted, consumed, transferred } = flows(row);
    if (row.asset_kind === 'gold') entry.gold = { granted, looted, transferred };
    else entry.items[row.item_id] = { granted, looted, consumed, transferred };
    perMinute.set(minute, entry);
  }
  return { gold, items, perMinute: [...perMinute.values()] };
}
