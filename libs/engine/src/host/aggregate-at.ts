import { AggregateDomain } from '../domain/aggregate-domain';
import { HistoryOutOfReachError, SnapshotRefutedError } from '../errors/engine-errors';
import { parseLogRecord } from '../partition/parse-log-record';
import { DedupeSetting, PartitionState } from '../partition/partition-state';
import { EventStream } from '../ports/event-stream';
import { Snapshot, SnapshotStore } from '../ports/snapshot-store';
import { EngineLogger } from './engine-options';
import { restoreSnapshot } from './load-snapshot';
import { readAfter } from './read-after';

export interface AggregateHistorySource<S> {
  domain: AggregateDomain<S, unknown, unknown, unknown>;
  /** The service's events stream; only read. */
  stream: EventStream;
  snapshots: SnapshotStore;
  /** The partition that holds the aggregate. */
  partition: number;
  /** As the owners keep it (`dedupeLimitsOf` their options): checkpoints hash the memory of outcomes too. */
  dedupeCapacity: DedupeSetting;
  /** Hears of snapshots skipped as unusable. */
  logger?: EngineLogger;
}

/** More than an owner keeps by default (3), so a point a little before the newest snapshots still starts from one. */
const SNAPSHOTS_CONSIDERED = 10;

/** What one rebuild may cost, for a caller that serves it on demand (an admin's time travel). */
export interface HistoryLimits {
  /**
   * The most records it reads. Starting from the log start is refused at once when the log holds more (the point
   * is older than every usable snapshot); a read that passes it without reaching the point is stopped.
   */
  maxRecords: number;
}

/**
 * The state of one aggregate at the first point of its history where `reached(state)` holds, rebuilt from the
 * newest usable snapshot in which it does not hold yet (or from the log start) plus the log after it; undefined
 * when the log never gets there.
 *
 * `reached` should stay true once true (a balance that only grows, a tick count): starting from a snapshot
 * skips whatever came before it, so for a condition that comes and goes this is the first point after that
 * snapshot. The log is read up to its end as of the call; records of superseded claims do not count, as on
 * replay. Throws when the point may lie in records the log no longer holds (it starts past offset 0 and no
 * usable snapshot precedes the point), when the snapshot store fails (a query can be retried; silently
 * replaying a whole partition instead cannot be taken back), and with whatever `evolve` or `reached` throws.
 * With `limits`, throws `HistoryOutOfReachError` instead of reading more than they allow.
 */
export async function aggregateAt<S>(
  source: AggregateHistorySource<S>,
  aggregateId: string,
  reached: (state: S) => boolean,
  limits?: HistoryLimits,
): Promise<S | undefined> {
  const { stream, partition, snapshots, logger } = source;
  const { start, end } = await stream.bounds(partition);
  let oldest: S | undefined;
  for (const snapshot of await snapshots.latest(stream.name, partition, SNAPSHOTS_CONSIDERED)) {
    const state = restoredUsable(source, snapshot, start, end);
    if (!state) continue;
    const aggregate = state.aggregate(aggregateId);
    if (reached(aggregate)) {
      oldest = aggregate;
      continue;
    }
    try {
      return await readUntilReached(source, { state, snapshot }, aggregateId, reached, end, limits);
    } catch (error) {
      if (!(error instanceof SnapshotRefutedError)) throw error;
      logger?.warn(`${stream.name}[${partition}]: skipping snapshot at ${snapshot.lastOffset}: ${error.message}`, { partition });
    }
  }
  if (limits && end - start > limits.maxRecords) {
    throw new HistoryOutOfReachError(
      `no usable snapshot of ${stream.name}[${partition}] precedes the point, and rebuilding from the log start may read ${end - start} records (at most ${limits.maxRecords})`,
      oldest,
    );
  }
  const state = emptyAtLogStart(source, start);
  const before = state.aggregate(aggregateId);
  // Only at the log start: a snapshot is chosen because it has not reached the point.
  if (reached(before)) return before;
  return readUntilReached(source, { state }, aggregateId, reached, end, limits);
}

/**
 * Folds the log after `state` until the aggregate reaches the point. Starting from a snapshot, the log's record at its
 * offset must confirm it first (`SnapshotRefutedError` otherwise); checkpoints after it go unverified: recovery checks
 * the log's hashes, here only one aggregate is wanted.
 */
async function readUntilReached<S>(
  { stream, partition }: AggregateHistorySource<S>,
  { state, snapshot }: { state: PartitionState<S>; snapshot?: Snapshot },
  aggregateId: string,
  reached: (state: S) => boolean,
  end: number,
  limits?: HistoryLimits,
): Promise<S | undefined> {
  let found: { state: S } | undefined;
  let read = 0;
  const enough = new Error(`${aggregateId} reached the point: no need to read further`);
  try {
    await readAfter({ stream, partition, state, snapshot, from: state.lastOffset + 1, to: end }, ({ offset, value }) => {
      if (limits && ++read > limits.maxRecords) {
        throw new HistoryOutOfReachError(`${aggregateId} does not reach the point within ${limits.maxRecords} records of where the rebuild starts`);
      }
      const record = parseLogRecord(value, offset);
      const counted = state.apply(record, offset, false);
      if (!counted || record.type !== 'outcome' || record.aggregateId !== aggregateId) return;
      const aggregate = state.aggregate(aggregateId);
      if (reached(aggregate)) {
        found = { state: aggregate };
        // Throwing is how a receiver ends a read: the rest of the partition is never fetched.
        throw enough;
      }
    });
  } catch (error) {
    // Whatever the adapter wraps our own stop in, an answer in hand means it was ours.
    if (!found) throw error;
  }
  return found?.state;
}

/** The partition a snapshot holds, when it is usable (the log confirms it only once read). */
function restoredUsable<S>(
  { stream, partition, domain, dedupeCapacity, logger }: AggregateHistorySource<S>,
  snapshot: Snapshot,
  start: number,
  end: number,
): PartitionState<S> | undefined {
  const restored = restoreSnapshot(domain, dedupeCapacity, snapshot, start, end);
  if ('unusable' in restored) {
    logger?.warn(`${stream.name}[${partition}]: skipping snapshot at ${snapshot.lastOffset}: ${restored.unusable}`, { partition });
    return undefined;
  }
  return restored.state;
}

function emptyAtLogStart<S>({ domain, dedupeCapacity, stream, partition }: AggregateHistorySource<S>, start: number): PartitionState<S> {
  if (start > 0) {
    throw new Error(`${stream.name}[${partition}] starts at offset ${start} and no usable snapshot precedes the point: it may lie in records that are gone`);
  }
  return new PartitionState(domain, dedupeCapacity);
}
