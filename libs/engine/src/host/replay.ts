import { parseLogRecord } from '../partition/parse-log-record';
import { PartitionState } from '../partition/partition-state';
import { EventStream } from '../ports/event-stream';

export interface ReplayRange {
  stream: EventStream;
  partition: number;
  from: number;
  to: number;
  /**
   * The offset the snapshot `state` came from ends on, while the log still holds it: that record is read again, and
   * when it is a checkpoint (snapshots are taken on one) it says whether the snapshot holds what the log does.
   */
  snapshotOffset?: number;
  /** Verify a checkpoint's hash once this many records passed since the last verified one (and always the last one). */
  verifyEveryRecords: number;
  /** Called after each chunk with the records done so far; throwing ends the replay. */
  onProgress(done: number): void;
}

/** Folds the log's records `from <= offset < to` into `state`, verifying checkpoints; returns how many did not count. */
export async function replay<S>(
  state: PartitionState<S>,
  { stream, partition, from, to, snapshotOffset, verifyEveryRecords, onProgress }: ReplayRange,
): Promise<number> {
  let skipped = 0;
  // A hash check costs one digest per entry touched since the last: verify a checkpoint every so often, and the last one.
  let sinceVerified = verifyEveryRecords;
  let unverified: { stateHash: string; offset: number } | undefined;
  await stream.read(partition, snapshotOffset ?? from, to, (records) => {
    for (const { offset, value } of records) {
      const record = parseLogRecord(value, offset);
      if (offset < from) {
        if (record.type === 'checkpoint' && record.claim === state.claim) state.verify(record.stateHash, offset);
        continue;
      }
      const verify = record.type === 'checkpoint' && sinceVerified >= verifyEveryRecords;
      if (!state.apply(record, offset, verify)) {
        skipped++;
        continue;
      }
      sinceVerified = verify ? 0 : sinceVerified + 1;
      // A claim changes nothing a hash covers; any other record leaves an unverified checkpoint behind.
      unverified = record.type === 'checkpoint' && !verify ? { stateHash: record.stateHash, offset } : record.type === 'claim' ? unverified : undefined;
    }
    onProgress(records[records.length - 1].offset - from + 1);
  });
  if (unverified) state.verify(unverified.stateHash, unverified.offset);
  return skipped;
}
