import { DEFAULT_OUTCOMES_PER_REQUESTER, DEFAULT_RETRY_HORIZON_MS, DedupeLimits } from '../partition/recent-outcomes';

export interface EngineOptions {
  /** Most commands decided into one batch (one append). */
  maxBatchSize: number;
  /** Most outcomes a partition remembers for dedupe per requester (player), within the retry horizon. */
  dedupeCapacity: number;
  /**
   * How long, in the log's time (commands' `issuedAt`), outcomes are remembered for retries; an older retry of a
   * forgotten command is refused `retry_expired`. Part of the log's meaning: every owner and replay must use the same.
   */
  retryHorizonMs: number;
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
  /**
   * Whether views of changes are written to the changes topic. Off when every gateway follows aggregates at their
   * owners (`viewsChanged`): the topic's writes, storage and reads would carry views nobody reads.
   */
  publishChanges: boolean;
  /**
   * Whether every partition this process does not own is followed here (`WarmStandbys`), so that taking one over
   * replays only the records since the standby's last fold. Costs reading and folding every partition's log in every
   * process (a zone's ticks are simulated again), and the memory of every partition.
   */
  warmStandby: boolean;
  /**
   * With warm standbys, the longest wait at start for their first fold of every partition before joining the group:
   * joined cold, this process would take partitions over by replaying from snapshots while their players wait.
   */
  warmBeforeJoinMs: number;
  /** Writers kept connected ahead of need (`EventStream.prepareWriters`), so that a takeover claims at once. */
  spareWriters: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  maxBatchSize: 500,
  dedupeCapacity: DEFAULT_OUTCOMES_PER_REQUESTER,
  retryHorizonMs: DEFAULT_RETRY_HORIZON_MS,
  snapshotEveryRecords: 10_000,
  snapshotEveryMs: 60_000,
  snapshotsKept: 3,
  checkpointEveryRecords: 1_000,
  replayVerifyEveryRecords: 50_000,
  commitTimeoutMs: 15_000,
  stopSnapshotTimeoutMs: 5_000,
  snapshotStoreTimeoutMs: 30_000,
  publishChanges: true,
  warmStandby: false,
  warmBeforeJoinMs: 10_000,
  spareWriters: 0,
};

/** What bounds each partition's memory of outcomes, as `PartitionState` takes it. */
export const dedupeLimitsOf = (options: Pick<EngineOptions, 'dedupeCapacity' | 'retryHorizonMs'>): DedupeLimits => ({
  perRequester: options.dedupeCapacity,
  horizonMs: options.retryHorizonMs,
});

/**
 * Fields of one log line beside its message, for logs that keep them apart (JSON): the `partition` a line is
 * about, the `commandId` of the command it concerns.
 */
export type LogFields = Record<string, string | number>;

/** Where the engine reports; Nest's Logger fits (plain objects after the message are the line's fields). */
export interface EngineLogger {
  log(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
