import { AggregateDomain } from '../domain/aggregate-domain';
import { sha256 } from '../partition/canonical-json';
import { PartitionState } from '../partition/partition-state';
import { EventStream } from '../ports/event-stream';
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

/**
 * The newest snapshot that has this domain's schema version, matches its hash, lies inside the log
 * (`start..end`) and parses; every other one is skipped with a warning. Undefined: replay from the start.
 */
export async function loadSnapshot<S>(
  { snapshots, stream, domain, options, logger, partition }: SnapshotSource<S>,
  start: number,
  end: number,
): Promise<{ state: PartitionState<S>; lastOffset: number } | undefined> {
  const label = `${stream.name}[${partition}]`;
  let candidates;
  try {
    candidates = await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.latest(stream.name, partition, options.snapshotsKept + 2));
  } catch (error) {
    logger.warn(`${label}: snapshot store unavailable, replaying from the start: ${(error as Error).message}`);
    return undefined;
  }
  for (const snapshot of candidates) {
    const restored = restoreSnapshot(domain, options.dedupeCapacity, snapshot, start, end);
    if ('unusable' in restored) {
      logger.warn(`${label}: skipping snapshot at ${snapshot.lastOffset}: ${restored.unusable}`);
      continue;
    }
    return { state: restored.state, lastOffset: snapshot.lastOffset };
  }
  return undefined;
}

/**
 * The partition a stored snapshot holds, or why it cannot stand for the log `start..end`: another schema
 * version, a state that does not match its hash, an offset outside the log, or text that does not parse.
 */
export function restoreSnapshot<S>(
  domain: AggregateDomain<S, unknown, unknown, unknown>,
  dedupeCapacity: number,
  snapshot: Snapshot,
  start: number,
  end: number,
): { state: PartitionState<S> } | { unusable: string } {
  const why =
    snapshot.schemaVersion !== domain.schemaVersion
      ? `schema version ${snapshot.schemaVersion}, expected ${domain.schemaVersion}`
      : snapshot.lastOffset >= end
        ? `offset ${snapshot.lastOffset} lies beyond the log end ${end}`
        : snapshot.lastOffset + 1 < start
          ? `offset ${snapshot.lastOffset} lies before the log start ${start}: records in between are gone`
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
