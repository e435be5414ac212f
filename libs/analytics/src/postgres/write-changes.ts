import { EntityManager } from 'typeorm';
import { Asset, ReadModelChanges } from '../read-model-changes';

// Text needs no cleaning here: ReadModelChanges holds only storable text (a row's key must be what is stored, or two
// keys could meet in one INSERT), so it is made storable once, where it enters.
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** Code-unit order: the same in every process, whatever the database's collation. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes one batch's read-model changes inside the caller's transaction. Totals are added in SQL (`+ excluded`),
 * never read and written back, so batches of other partitions may add to the same rows at the same time. Each table's
 * rows are locked in one order, whatever order the batch's events came in (economy by minute, asset kind, item id;
 * zones by zone id; loot by zone id, item id), and tables in one order too: two batches that share rows then queue
 * for the first one they share instead of each holding what the other waits for (a deadlock, which failed a batch).
 * History rows of a partition are its own, so they keep log order.
 */
export async function writeChanges(manager: EntityManager, changes: ReadModelChanges): Promise<void> {
  await writeEconomy(manager, changes);
  await writeHistory(manager, changes);
  await writeZones(manager, changes);
}

async function writeEconomy(manager: EntityManager, { economy }: ReadModelChanges): Promise<void> {
  if (economy.size === 0) return;
  const itemOf = (asset: Asset) => (asset.kind === 'item' ? asset.itemId : '');
  const rows = [...economy.values()].sort((a, b) => a.minute - b.minute || byText(a.asset.kind, b.asset.kind) || byText(itemOf(a.asset), itemOf(b.asset)));
  await manager.query(
    `INSERT INTO "analytics_economy_minutes" ("minute", "asset_kind", "item_id", "granted", "looted", "consumed", "transferred")
     SELECT minute, asset_kind, item_id, granted, looted, consumed, transferred
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
            WITH ORDINALITY AS row(minute, asset_kind, item_id, granted, looted, consumed, transferred, place)
      ORDER BY place
     ON CONFLICT ("minute", "asset_kind", "item_id") DO UPDATE SET
       "granted" = "analytics_economy_minutes"."granted" + excluded."granted",
       "looted" = "analytics_economy_minutes"."looted" + excluded."looted",
       "consumed" = "analytics_economy_minutes"."consumed" + excluded."consumed",
       "transferred" = "analytics_economy_minutes"."transferred" + excluded."transferred"`,
    [
      rows.map((row) => iso(row.minute)),
      rows.map((row) => row.asset.kind),
      rows.map((row) => itemOf(row.asset)),
      rows.map((row) => row.flows.granted),
      rows.map((row) => row.flows.looted),
      rows.map((row) => row.flows.consumed),
      rows.map((row) => row.flows.transferred),
    ],
  );
}

async function writeHistory(manager: EntityManager, { history }: ReadModelChanges): Promise<void> {
  if (history.length === 0) return;
  // In log order (ORDINALITY): ids then follow projection order (read by time, not by id: docs/analytics.md).
  await manager.query(
    `INSERT INTO "analytics_player_events" ("player_id", "at", "service", "type", "event", "command_id", "topic", "partition", "offset", "event_index")
     SELECT player_id, at, service, type, event, command_id, topic, partition, "offset", event_index
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::int[], $9::bigint[], $10::int[])
            WITH ORDINALITY AS entry(player_id, at, service, type, event, command_id, topic, partition, "offset", event_index, place)
      ORDER BY place`,
    [
      history.map((entry) => entry.playerId),
      history.map((entry) => iso(entry.at)),
      history.map((entry) => entry.service),
      history.map((entry) => entry.type),
      history.map((entry) => JSON.stringify(entry.event)),
      history.map((entry) => entry.commandId),
      history.map((entry) => entry.topic),
      history.map((entry) => entry.partition),
      history.map((entry) => entry.offset),
      history.map((entry) => entry.index),
    ],
  );
}

async function writeZones(manager: EntityManager, { zones }: ReadModelChanges): Promise<void> {
  if (zones.size === 0) return;
  const tallies = [...zones.entries()].sort(([a], [b]) => byText(a, b));
  await manager.query(
    `INSERT INTO "analytics_zone_stats" ("zone_id", "kills", "loot_gold")
     SELECT zone_id, kills, loot_gold FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS row(zone_id, kills, loot_gold, place)
      ORDER BY place
     ON CONFLICT ("zone_id") DO UPDATE SET
       "kills" = "analytics_zone_stats"."kills" + excluded."kills",
       "loot_gold" = "analytics_zone_stats"."loot_gold" + excluded."loot_gold"`,
    [tallies.map(([zoneId]) => zoneId), tallies.map(([, tally]) => tally.kills), tallies.map(([, tally]) => tally.lootGold)],
  );
  const items = tallies
    .flatMap(([zoneId, tally]) => Object.entries(tally.lootItems).map(([itemId, quantity]) => [zoneId, itemId, quantity] as const))
    .sort(([zoneA, itemA], [zoneB, itemB]) => byText(zoneA, zoneB) || byText(itemA, itemB));
  if (items.length === 0) return;
  await manager.query(
    `INSERT INTO "analytics_zone_loot_items" ("zone_id", "item_id", "quantity")
     SELECT zone_id, item_id, quantity FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS row(zone_id, item_id, quantity, place)
      ORDER BY place
     ON CONFLICT ("zone_id", "item_id") DO UPDATE SET "quantity" = "analytics_zone_loot_items"."quantity" + excluded."quantity"`,
    [items.map((item) => item[0]), items.map((item) => item[1]), items.map((item) => item[2])],
  );
}
