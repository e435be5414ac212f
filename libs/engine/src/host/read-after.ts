import { SnapshotRefutedError } from '../errors/engine-errors';
import { PartitionState } from '../partition/partition-state';
import { EventStream, StreamRecord } from '../ports/event-stream';
import { Snapshot } from '../ports/snapshot-store';
import { refutation } from './load-snapshot';

export interface ReadAfter<S> {
  stream: EventStream;
  partition: number;
  /** What the records after it are folded into. */
  state: PartitionState<S>;
  /** The snapshot `state` was restored from, if any. */
  snapshot?: Snapshot;
  /** Reads `from <= offset < to`; `from` is right after `state`. */
  from: number;
  to: number;
}

/**
 * Hands the log's records `from <= offset < to` to `onRecord`, chunk by chunk (`onChunk` after each). When `state`
 * was restored from a snapshot, the snapshot's own record is read first and must confirm it: otherwise
 * `SnapshotRefutedError` is thrown before any record is handed on. Throwing from a callback ends the read.
 */
export async function readAfter<S>(
  { stream, partition, state, snapshot, from, to }: ReadAfter<S>,
  onRecord: (record: StreamRecord) => void,
  onChunk: (last: StreamRecord) => void = () => undefined,
): Promise<void> {
  let confirming = snapshot;
  await stream.read(partition, snapshot ? snapshot.lastOffset : from, to, (records) => {
    for (const record of records) {
      if (!confirming) {
        onRecord(record);
        continue;
      }
      const refuted = refutation(confirming, record, state);
      if (refuted) throw new SnapshotRefutedError(confirming.lastOffset, refuted);
      confirming = undefined;
    }
    onChunk(records[records.length - 1]);
  });
  if (confirming) throw new SnapshotRefutedError(confirming.lastOffset, `the log holds no record at offset ${confirming.lastOffset}`);
}
