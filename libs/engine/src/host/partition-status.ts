/** `diverged`: replay did not reproduce what the log recorded; the partition stays down until a person looks. */
export type PartitionPhase = 'recovering' | 'serving' | 'fenced' | 'failed' | 'diverged' | 'released';

/** What an operator (health, metrics, admin) can read about one owned partition. */
export interface PartitionStatus {
  partition: number;
  phase: PartitionPhase;
  replay: { done: number; total: number };
  /** Offset of the last events record in memory (-1 before the first). */
  lastOffset: number;
  lastSnapshotOffset: number | null;
  /** Commands in the partition not yet committed here: not fetched yet (as of the last fetch), waiting, or in the batch being committed. */
  lag: number;
  lastBatchSize: number;
  lastCommitMs: number;
  /** Over the last 1,000 commits. */
  commitP50Ms: number;
  commitP99Ms: number;
  commandsCommitted: number;
  aggregates: number;
  error?: string;
}
