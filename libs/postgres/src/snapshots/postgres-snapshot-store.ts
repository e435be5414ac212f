import type { Snapshot, SnapshotStore } from '@app/engine';
import { DataSource } from 'typeorm';

interface SnapshotRow {
  stream: string;
  partition: number;
  /** `bigint`: node-postgres returns it as a string so no precision is lost in transit. */
  last_offset: string | number;
  schema_version: number;
  state_hash: string;
  state: string;
  checkpoint: string | null;
}

/**
 * The engine's snapshot port over PostgreSQL. A faithful store: it returns rows exactly as they
 * are stored and never judges them; validating a snapshot (hash, schema version) is the engine's job.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly dataSource: DataSource) {}

  async save(snapshot: Snapshot): Promise<void> {
    requireSafeInteger('lastOffset', snapshot.lastOffset);
    await this.dataSource.query(
      `INSERT INTO "partition_snapshots"
         ("stream", "partition", "last_offset", "schema_version", "state_hash", "state", "checkpoint")
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("stream", "partition", "last_offset") DO UPDATE SET
         "schema_version" = EXCLUDED."schema_version",
         "state_hash" = EXCLUDED."state_hash",
         "state" = EXCLUDED."state",
         "checkpoint" = EXCLUDED."checkpoint",
         "created_at" = now()`,
      [
        snapshot.stream,
        snapshot.partition,
        String(snapshot.lastOffset),
        snapshot.schemaVersion,
        snapshot.stateHash,
        snapshot.state,
        snapshot.checkpoint ?? null,
      ],
    );
  }

  async latest(stream: string, partition: number, limit: number): Promise<Snapshot[]> {
    requireCount('limit', limit);
    const rows: SnapshotRow[] = await this.dataSource.query(
      `SELECT "stream", "partition", "last_offset", "schema_version", "state_hash", "state", "checkpoint"
         FROM "partition_snapshots"
        WHERE "stream" = $1 AND "partition" = $2
        ORDER BY "last_offset" DESC
        LIMIT $3`,
      [stream, partition, limit],
    );
    return rows.map(toSnapshot);
  }

  async prune(stream: string, partition: number, keep: number): Promise<void> {
    requireCount('keep', keep);
    await this.dataSource.query(
      `DELETE FROM "partition_snapshots"
        WHERE "stream" = $1 AND "partition" = $2
          AND "last_offset" NOT IN (
            SELECT "last_offset" FROM "partition_snapshots"
             WHERE "stream" = $1 AND "partition" = $2
             ORDER BY "created_at" DESC, "last_offset" DESC
             LIMIT $3)`,
      [stream, partition, keep],
    );
  }
}

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    stream: row.stream,
    partition: row.partition,
    lastOffset: bigintToNumber(row.last_offset),
    schemaVersion: row.schema_version,
    stateHash: row.state_hash,
    state: row.state,
    ...(row.checkpoint === null ? {} : { checkpoint: row.checkpoint }),
  };
}

/** A `bigint` that a JS number cannot hold exactly is refused rather than silently rounded. */
export function bigintToNumber(value: string | number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && !/^-?\d+$/.test(value)) {
    throw new Error(`partition_snapshots.last_offset is not an integer: ${JSON.stringify(value)}`);
  }
  if (!Number.isSafeInteger(parsed)) {
    throw new Error(`partition_snapshots.last_offset ${value} does not fit a JavaScript number exactly`);
  }
  return parsed;
}

function requireSafeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
}

function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
