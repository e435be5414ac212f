import { DataSource, EntityManager } from 'typeorm';
import { batchRefutation, LogBinding } from '../log-binding';
import { EventsRecord, PartitionPosition, ProjectedBatch, projectBatch } from '../project-batch';
import { ProjectedService } from '../project-outcome';
import { writeChanges } from './write-changes';

interface PositionRow {
  next_offset: string;
  latest_claim: string;
  last_offset: string | null;
  last_digest: string | null;
  stopped: string | null;
  refused: string | null;
}

/** A partition's row in `analytics_positions`: its position, the log it was read from, and why it stopped, if it did. */
export interface PartitionState {
  topic: string;
  partition: number;
  position: PartitionPosition;
  last?: LogBinding;
  /** Why the projection of this partition stopped for good (its log was replaced or lost records): rebuild to go on. */
  stopped?: string;
  /** The record this version of the projection cannot read (events of a newer version): a newer one goes on from it. */
  refused?: string;
}

/**
 * What became of a batch: projected (possibly nothing new in it), refused because it starts past the stored position,
 * or not projected because the partition stopped (now, as the batch shows its log is not the one projected, or before).
 */
export type BatchResult = ({ kind: 'projected' } & ProjectedBatch) | { kind: 'gap'; position: PartitionPosition } | { kind: 'stopped'; reason: string };

const COLUMNS = `"topic", "partition", "next_offset", "latest_claim", "last_offset", "last_digest", "stopped", "refused"`;

const stateOf = (row: PositionRow & { topic: string; partition: number }): PartitionState => ({
  topic: row.topic,
  partition: row.partition,
  position: { nextOffset: Number(row.next_offset), latestClaim: Number(row.latest_claim) },
  ...(row.last_offset !== null && row.last_digest !== null && { last: { offset: Number(row.last_offset), digest: row.last_digest } }),
  ...(row.stopped !== null && { stopped: row.stopped }),
  ...(row.refused !== null && { refused: row.refused }),
});

/**
 * The projection's side in PostgreSQL: every batch of one events partition is one transaction that locks and reads
 * the partition's stored position, projects only what lies past it, writes the rows and stores the new position with
 * the last record read (binding it to its log). Whoever runs a batch, however often Kafka hands it over (crash,
 * restart, rebalance, two instances at once), each record is projected once: the lock orders the batches of a
 * partition and the position skips what is done.
 */
export class ProjectionStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Projects `records` (one partition, offset order), read by a fetch from `fetchedFrom`. A fetch from past the stored position would skip records (the
   * consumer's position ran ahead of PostgreSQL's): nothing is written and the caller seeks back to the position
   * returned. A batch that shows its log is not the one the position was read from stops the partition.
   */
  async project(service: ProjectedService, topic: string, partition: number, fetchedFrom: number, records: EventsRecord[]): Promise<BatchResult> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO "analytics_positions" ("topic", "partition", "next_offset", "latest_claim") VALUES ($1, $2, 0, -1) ON CONFLICT DO NOTHING`,
        [topic, partition],
      );
      const [row]: (PositionRow & { topic: string; partition: number })[] = await manager.query(
        `SELECT ${COLUMNS} FROM "analytics_positions" WHERE "topic" = $1 AND "partition" = $2 FOR UPDATE`,
        [topic, partition],
      );
      const stored = stateOf(row);
      if (stored.stopped !== undefined) return { kind: 'stopped', reason: stored.stopped };
      const refuted = batchRefutation({ nextOffset: stored.position.nextOffset, last: stored.last }, fetchedFrom, records);
      if (refuted !== undefined) {
        await manager.query(`UPDATE "analytics_positions" SET "stopped" = $3, "updated_at" = now() WHERE "topic" = $1 AND "partition" = $2`, [
          topic,
          partition,
          refuted,
        ]);
        return { kind: 'stopped', reason: refuted };
      }
      if (fetchedFrom > stored.position.nextOffset) return { kind: 'gap', position: stored.position };
      const batch = projectBatch(service, topic, partition, stored.position, records);
      if (batch.read === 0 && (batch.refused === undefined || batch.refused.reason === stored.refused)) return { kind: 'projected', ...batch };
      await writeChanges(manager, batch.changes);
      await manager.query(
        `UPDATE "analytics_positions" SET "next_offset" = $3, "latest_claim" = $4, "last_offset" = coalesce($5, "last_offset"),
                "last_digest" = coalesce($6, "last_digest"), "refused" = $7, "updated_at" = now()
          WHERE "topic" = $1 AND "partition" = $2`,
        [
          topic,
          partition,
          batch.position.nextOffset,
          batch.position.latestClaim,
          batch.last?.offset ?? null,
          batch.last?.digest ?? null,
          batch.refused?.reason ?? null,
        ],
      );
      return { kind: 'projected', ...batch };
    });
  }

  /**
   * Stops a partition for good because its log is not the one its position was read from (found before resuming it),
   * unless the position moved since it was judged. True when it is stopped now.
   */
  async stop(topic: string, partition: number, judged: PartitionPosition, reason: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE "analytics_positions" SET "stopped" = coalesce("stopped", $4), "updated_at" = now()
        WHERE "topic" = $1 AND "partition" = $2 AND "next_offset" = $3 RETURNING 1`,
      [topic, partition, judged.nextOffset, reason],
    );
    return rows.length > 0;
  }

  /** The stored position of each partition of `topics` projected so far; a partition never projected is absent. */
  async positions(topics: string[]): Promise<{ topic: string; partition: number; position: PartitionPosition }[]> {
    return (await this.partitions(topics)).map(({ topic, partition, position }) => ({ topic, partition, position }));
  }

  /** Everything stored about each partition of `topics` projected so far; a partition never projected is absent. */
  partitions(topics: string[]): Promise<PartitionState[]> {
    return readPartitions(this.dataSource, topics);
  }
}

/** What `ProjectionStore.partitions` reads, through `runner` (a transaction's manager reads it in that snapshot). */
export async function readPartitions(runner: Pick<EntityManager, 'query'>, topics: string[]): Promise<PartitionState[]> {
  const rows: (PositionRow & { topic: string; partition: number })[] = await runner.query(
    `SELECT ${COLUMNS} FROM "analytics_positions" WHERE "topic" = ANY($1::text[]) ORDER BY "topic", "partition"`,
    [topics],
  );
  return rows.map(stateOf);
}

/**
 * Empties every analytics table, positions and read models, in one statement (one transaction): the projection then
 * rebuilds them from the logs as they are, once analytics is restarted. The way on after a partition stopped because
 * its log was replaced: the read models are sums over every partition, so one partition's share cannot be taken out.
 */
export const REBUILD_READ_MODELS_SQL = `TRUNCATE "analytics_positions", "analytics_economy_minutes", "analytics_player_events", "analytics_zone_stats", "analytics_zone_loot_items"`;
