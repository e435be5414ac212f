export interface EngineOptions {
  /** Most commands decided into one batch (one append). */
  maxBatchSize: number;
  /** Commands whose outcomes each partition remembers for dedupe. */
  dedupeCapacity: number;
  /** Take a snapshot after this many new events records ... */
  snapshotEveryRecords: number;
  /** ... or this long after the last one, whichever comes first (if anything changed). */
  snapshotEveryMs: number;
  /** Snapshots kept per partition; older ones are pruned. */
  snapshotsKept: number;
  /** Append a checkpoint (state hash) after this many records, for replay to verify. */
  checkpointEveryRecords: number;
  /** During replay, verify a checkpoint's hash once this many records passed since the last verified one. */
  replayVerifyEveryRecords: number;
  /** Longest wait for any snapshot-store call; past it the call counts as failed. */
  snapshotStoreTimeoutMs: number;
  /** Longest wait for a batch to be appended and known to count; past it the partition recovers. */
  commitTimeoutMs: number;
  /** Longest wait for a snapshot write during a planned stop. */
  stopSnapshotTimeoutMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  maxBatchSize: 500,
  dedupeCapacity: 10_000,
  snapshotEveryRecords: 10_000,
  snapshotEveryMs: 60_000,
  snapshotsKept: 3,
  checkpointEveryRecords: 1_000,
  replayVerifyEveryRecords: 50_000,
  commitTimeoutMs: 15_000,
  stopSnapshotTimeoutMs: 5_000,
  snapshotStoreTimeoutMs: 30_000,
};

/** Where the engine reports; Nest's Logger fits. */
export interface EngineLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
