import { DataSource } from 'typeorm';
import { EventsRecord, PartitionPosition, ProjectedBatch, projectBatch } from '../project-batch';
import { ProjectedService } from '../project-outcome';
import { writeChanges } from './write-changes';

interface PositionRow {
  next_offset: string;
  latest_claim: string;
}

/** What became of a batch: projected (possibly nothing new in it), or refused because it starts past the stored position. */
export type BatchResult = ({ kind: 'projected' } & ProjectedBatch) | { kind: 'gap'; position: PartitionPosition };

/**
 * The projection's side in PostgreSQL: every batch of one events partition is one transaction that locks and reads
 * the partition's stored position, projects only what lies past it, writes the rows and stores the new position.
 * Whoever runs a batch, however often Kafka hands it over (crash, restart, rebalance, two instances at once), each
 * record is projected once: the lock orders the batches of a partition and the position skips what is done.
 */
export class ProjectionStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Projects `records` (one partition, offset order), read by a fetch from `fetchedFrom`. A fetch from past the stored
   * position would skip records (the consumer's position ran ahead of PostgreSQL's): nothing is written and the caller
   * seeks back to the position returned.
   */
  async project(service: ProjectedService, topic: string, partition: number, fetchedFrom: number, records: EventsRecord[]): Promise<BatchResult> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO "analytics_positions" ("topic", "partition", "next_offset", "latest_claim") VALUES ($1, $2, 0, -1) ON CONFLICT DO NOTHING`,
        [topic, partition],
      );
      const [row]: PositionRow[] = await manager.query(
        `SELECT "next_offset", "latest_claim" FROM "analytics_positions" WHERE "topic" = $1 AND "partition" = $2 FOR UPDATE`,
        [topic, partition],
      );
      const stored = { nextOffset: Number(row.next_offset), latestClaim: Number(row.latest_claim) };
      if (fetchedFrom > stored.nextOffset) return { kind: 'gap', position: stored };
      const batch = projectBatch(service, topic, partition, stored, records);
      if (batch.read === 0) return { kind: 'projected', ...batch };
      await writeChanges(manager, batch.changes);
      await manager.query(
        `UPDATE "analytics_positions" SET "next_offset" = $3, "latest_claim" = $4, "updated_at" = now() WHERE "topic" = $1 AND "partition" = $2`,
        [topic, partition, batch.position.nextOffset, batch.position.latestClaim],
      );
      return { kind: 'projected', ...batch };
    });
  }

  /** The stored position of each partition of `topics` projected so far; a partition never projected is absent. */
  async positions(topics: string[]): Promise<{ topic: string; partition: number; position: PartitionPosition }[]> {
    const rows: (PositionRow & { topic: string; partition: number })[] = await this.dataSource.query(
      `SELECT "topic", "partition", "next_offset", "latest_claim" FROM "analytics_positions" WHERE "topic" = ANY($1::text[])`,
      [topics],
    );
    return rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      position: { nextOffset: Number(row.next_offset), latestClaim: Number(row.latest_claim) },
    }));
  }
}
