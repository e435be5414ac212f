/** One stored snapshot of a partition's memory, as the engine writes it. */
export interface Snapshot {
  /** The events topic the state was folded from, e.g. `t1-accounts.events`. */
  stream: string;
  partition: number;
  /** Offset of the last events record folded in; replay resumes after it. */
  lastOffset: number;
  schemaVersion: number;
  stateHash: string;
  /** The serialised partition image; the store treats it as opaque text. */
  state: string;
  /**
   * The exact text of the events record at `lastOffset`: the checkpoint the snapshot was taken on. Its random id
   * exists in no other log, so reading the same text there again proves the snapshot is of this log (not of one
   * deleted or recreated under the same name). Absent in snapshots taken before they were bound to their log.
   */
  checkpoint?: string;
}

/**
 * Port: where snapshots live. Losing every snapshot loses no data, only replay time, so
 * the engine tolerates a store that fails; the store itself must never return a row other than as written.
 */
export interface SnapshotStore {
  save(snapshot: Snapshot): Promise<void>;
  /** Newest first (highest lastOffset), at most `limit`; the engine validates each and falls back. */
  latest(stream: string, partition: number, limit: number): Promise<Snapshot[]>;
  /**
   * Keeps the `keep` snapshots of the partition saved last and deletes the rest. By when they were saved, not by offset:
   * the owner of the log as it is now saves them, so they outlive those of a log since replaced under the same name,
   * whose offsets may well be higher.
   */
  prune(stream: string, partition: number, keep: number): Promise<void>;
}
