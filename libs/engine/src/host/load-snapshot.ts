import { AggregateDomain } from '../domain/aggregate-domain';
import { sha256 } from '../partition/canonical-json';
import { PartitionState } from '../partition/partition-state';
import { EventStream } from '../ports/event-stream';
import { SnapshotStore } from '../ports/snapshot-store';
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
    if (why) {
      logger.warn(`${label}: skipping snapshot at ${snapshot.lastOffset}: ${why}`);
      continue;
    }
    try {
      return { state: PartitionState.deserialize(domain, options.dedupeCapacity, snapshot.state, snapshot.lastOffset), lastOffset: snapshot.lastOffset };
    } catch (error) {
      logger.warn(`${label}: skipping snapshot at ${snapshot.lastOffset}: ${(error as Error).message}`);
    }
  }
  return undefined;
}
