export type PartitionPhase = 'recovering' | 'serving' | 'fenced' | 'failed' | 'released';

/** What an operator (health, metrics, admin) can read about one owned partition. */
export interface PartitionStatus {
  partition: number;
  phase: PartitionPhase;
  replay: { done: number; total: number };
  /** Offset of the last events record in memory (-1 before the first). */
  lastOffset: number;
  lastSnapshotOffset: number | null;
  /** Commands fetched but not yet committed, as of the last delivery. */
  lag: number;
  lastBatchSize: number;
  lastCommitMs: number;
  commandsCommitted: number;
  aggregates: number;
  error?: string;
}
