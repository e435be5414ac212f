import { parseLogRecord } from '../partition/parse-log-record';
import { PartitionState } from '../partition/partition-state';
import { EventStream } from '../ports/event-stream';
import { Snapshot } from '../ports/snapshot-store';
import { readAfter, WarmOrigin } from './read-after';

export interface ReplayRange {
  stream: EventStream;
  partition: number;
  /** Replays `from <= offset < to`. */
  from: number;
  to: number;
  /**
   * The snapshot `state` was restored from (`from` is right after it): its record is read first and must confirm it,
   * or the replay throws `SnapshotRefutedError` before folding anything.
   */
  snapshot?: Snapshot;
  /** Or the record a warm standby's `state` was last folded to (its text is read again and must match). */
  warm?: WarmOrigin;
  /** Verify a checkpoint's hash once this many records passed since the last verified one (and always the last one). */
  verifyEveryRecords: number;
  /** Called after each chunk with the records done so far; throwing ends the replay. */
  onProgress(done: number): void;
}

/** Folds the log's records `from <= offset < to` into `state`, verifying checkpoints; returns how many did not count. */
export async function replay<S>(
  state: PartitionState<S>,
  { stream, partition, from, to, snapshot, warm, verifyEveryRecords, onProgress }: ReplayRange,
): Promise<number> {
  let skipped = 0;
  // A hash check costs one digest per entry touched since the last: verify a checkpoint every so often, and the last one.
  let sinceVerified = verifyEveryRecords;
  let unverified: { stateHash: string; offset: number } | undefined;
  await readAfter(
    { stream, partition, state, snapshot, warm, from, to },
    ({ offset, value }) => {
      const record = parseLogRecord(value, offset);
      const verify = record.type === 'checkpoint' && sinceVerified >= verifyEveryRecords;
      if (!state.apply(record, offset, verify)) {
        skipped++;
        return;
      }
      sinceVerified = verify ? 0 : sinceVerified + 1;
      // A claim changes nothing a hash covers; any other record leaves an unverified checkpoint behind.
      unverified = record.type === 'checkpoint' && !verify ? { stateHash: record.stateHash, offset } : record.type === 'claim' ? unverified : undefined;
    },
    (last) => onProgress(Math.max(0, last.offset - from + 1)),
  );
  if (unverified) state.verify(unverified.stateHash, unverified.offset);
  return skipped;
}
