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
  /**
   * Where a batch's time goes, p50 and p99 over the last 1,000 samples: `queue`, how long a command sent straight here
   * waited for its batch; `decide`, deciding a batch in memory; `append`, appending it and proving it counts.
   */
  stages: Record<'queue' | 'decide' | 'append', { p50Ms: number; p99Ms: number }>;
  aggregates: number;
  error?: string;
}
