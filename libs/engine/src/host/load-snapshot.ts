import { AggregateDomain } from '../domain/aggregate-domain';
import { sha256 } from '../partition/canonical-json';
import { parseLogRecord } from '../partition/parse-log-record';
import { DedupeSetting, PartitionState } from '../partition/partition-state';
import { EventStream, StreamRecord } from '../ports/event-stream';
import { Snapshot, SnapshotStore } from '../ports/snapshot-store';
import { EngineLogger, EngineOptions } from './engine-options';
import { withTimeout } from './time-limits';

export interface SnapshotSource<S> {
  domain: AggregateDomain<S, unknown, unknown, unknown>;
  stream: EventStream;
  snapshots: SnapshotStore;
  options: EngineOptions;
  logger: EngineLogger;
  partition: number;
}

/** The partition's stored snapshots, newest first; none when the store fails (replay from the start is slower, never wrong). */
export async function storedSnapshots<S>({ snapshots, stream, options, logger, partition }: SnapshotSource<S>): Promise<Snapshot[]> {
  try {
    return await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.latest(stream.name, partition, options.snapshotsKept + 2));
  } catch (error) {
    logger.warn(`${stream.name}[${partition}]: snapshot store unavailable, replaying from the start: ${(error as Error).message}`, { partition });
    return [];
  }
}

/**
 * The partition a stored snapshot holds, or why it cannot stand for the log `start..end`: another schema version, no
 * checkpoint to prove it by, an offset outside the log, a state that does not match its hash, or text that does not
 * parse. The log itself confirms it later (`refutation`), when its record at `lastOffset` is read.
 */
export function restoreSnapshot<S>(
  domain: AggregateDomain<S, unknown, unknown, unknown>,
  dedupeCapacity: DedupeSetting,
  snapshot: Snapshot,
  start: number,
  end: number,
): { state: PartitionState<S> } | { unusable: string } {
  const why =
    snapshot.schemaVersion !== domain.schemaVersion
      ? `schema version ${snapshot.schemaVersion}, expected ${domain.schemaVersion}`
      : snapshot.checkpoint === undefined
        ? 'it holds no checkpoint for the log to confirm it by (taken before snapshots were bound to their log)'
        : snapshot.lastOffset >= end
          ? `offset ${snapshot.lastOffset} lies beyond the log end ${end}: the log was replaced or the topic recreated since`
          : snapshot.lastOffset < start
            ? `offset ${snapshot.lastOffset} lies before the log start ${start}: the checkpoint it was taken on is gone`
            : sha256(snapshot.state) !== snapshot.stateHash
              ? 'state hash mismatch (corrupted)'
              : undefined;
  if (why) return { unusable: why };
  try {
    return { state: PartitionState.deserialize(domain, dedupeCapacity, snapshot.state, snapshot.lastOffset) };
  } catch (error) {
    return { unusable: (error as Error).message };
  }
}

/**
 * Why the log's record at a snapshot's offset does not confirm the snapshot, or undefined when it does: it must be
 * the very checkpoint the snapshot was taken on, byte for byte (its random id exists in no other log), and the
 * restored state must hash to what that checkpoint says. A missing proof never counts as agreement.
 */
export function refutation<S>(snapshot: Snapshot, record: StreamRecord | undefined, state: PartitionState<S>): string | undefined {
  if (!record || record.offset !== snapshot.lastOffset) return `the log holds no record at offset ${snapshot.lastOffset}`;
  if (snapshot.checkpoint === undefined || record.value?.toString('utf8') !== snapshot.checkpoint) {
    return `the log holds another record at offset ${snapshot.lastOffset} than the checkpoint it was taken on: the log was replaced or the topic recreated since`;
  }
  const checkpoint = parseLogRecord(record.value, record.offset);
  if (checkpoint.type !== 'checkpoint' || checkpoint.claim !== state.claim)
    return `the record at offset ${snapshot.lastOffset} is not a checkpoint of the snapshot's claim`;
  const actual = state.hash();
  if (actual !== checkpoint.stateHash)
    return `its state hashes to ${actual.slice(0, 12)}, the checkpoint it was taken on says ${checkpoint.stateHash.slice(0, 12)}`;
  return undefined;
}
