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
}

/**
 * Port: where snapshots live. Losing every snapshot loses no data, only replay time, so
 * the engine tolerates a store that fails; the store itself must never return a row other than as written.
 */
export interface SnapshotStore {
  save(snapshot: Snapshot): Promise<void>;
  /** Newest first (highest lastOffset), at most `limit`; the engine validates each and falls back. */
  latest(stream: string, partition: number, limit: number): Promise<Snapshot[]>;
  /** Keeps the newest `keep` snapshots of the partition and deletes the rest. */
  prune(stream: string, partition: number, keep: number): Promise<void>;
}
