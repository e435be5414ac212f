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
  /** Or the record `state` was last folded to, by a warm standby: its text must be what the log holds there. */
  warm?: WarmOrigin;
  /** Reads `from <= offset < to`; `from` is right after `state`. */
  from: number;
  to: number;
}

/** Where a warm standby's state stands: the offset and exact text of the last record it folded in. */
export interface WarmOrigin {
  offset: number;
  text: string;
}

/**
 * Hands the log's records `from <= offset < to` to `onRecord`, chunk by chunk (`onChunk` after each). When `state`
 * was restored from a snapshot, the snapshot's own record is read first and must confirm it: otherwise
 * `SnapshotRefutedError` is thrown before any record is handed on. Throwing from a callback ends the read.
 */
export async function readAfter<S>(
  { stream, partition, state, snapshot, warm, from, to }: ReadAfter<S>,
  onRecord: (record: StreamRecord) => void,
  onChunk: (last: StreamRecord) => void = () => undefined,
): Promise<void> {
  let confirming: { offset: number; refutes(record: StreamRecord): string | undefined } | undefined = snapshot
    ? { offset: snapshot.lastOffset, refutes: (record) => refutation(snapshot, record, state) }
    : warm
      ? { offset: warm.offset, refutes: (record) => warmRefutation(warm, record) }
      : undefined;
  await stream.read(partition, confirming ? confirming.offset : from, to, (records) => {
    for (const record of records) {
      if (!confirming) {
        onRecord(record);
        continue;
      }
      const refuted = confirming.refutes(record);
      if (refuted) throw new SnapshotRefutedError(confirming.offset, refuted);
      confirming = undefined;
    }
    onChunk(records[records.length - 1]);
  });
  if (confirming) throw new SnapshotRefutedError(confirming.offset, `the log holds no record at offset ${confirming.offset}`);
}

function warmRefutation(warm: WarmOrigin, record: StreamRecord): string | undefined {
  if (record.offset !== warm.offset) return `the log holds no record at offset ${warm.offset}`;
  if (record.value?.toString('utf8') !== warm.text) return `the log holds another record at offset ${warm.offset} than the one the standby folded in`;
  return undefined;
}
