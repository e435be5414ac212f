import { DivergedError, SnapshotRefutedError } from '../errors/engine-errors';
import { PartitionState } from '../partition/partition-state';
import { Snapshot } from '../ports/snapshot-store';
import { dedupeLimitsOf } from './engine-options';
import { restoreSnapshot, SnapshotSource, storedSnapshots } from './load-snapshot';
import { replay } from './replay';
import { WarmStart } from './warm-standby';

export interface RecoveryPlan {
  /** The log's first offset and the offset after the new claim: replay folds everything up to and including the claim. */
  start: number;
  end: number;
  /** False after a snapshot disagreed with checkpoints later in the log: then only the whole log will do. */
  useSnapshots: boolean;
  /** The partition's memory as a warm standby here kept it, tried before any snapshot (not when `useSnapshots` is off). */
  warm?: WarmStart<unknown>;
  /**
   * Called when a replay starts (again, after a refuted snapshot) from `from`: right after `snapshot`, or from the log's
   * start when there is none. What throws from then on (a divergence, say) was found starting from there.
   */
  onReplay(from: number, total: number, origin?: Snapshot | 'warm standby'): void;
  /** Records done so far in the current replay; throwing ends it. */
  onProgress(done: number): void;
}

export interface RecoveredState<S> {
  state: PartitionState<S>;
  /** Records written under superseded claims, which did not count. */
  skipped: number;
  /** The snapshot the state started from, if any. */
  snapshot?: Snapshot;
  /** Whether it started from a warm standby's memory. */
  warm?: boolean;
}

/**
 * The partition's memory as of `end`: the newest snapshot the log confirms plus the records after it, or the whole
 * log when none does. A snapshot the log refutes (another log's, or a wrong one) is set aside with a warning naming why.
 */
export async function recoverState<S>(source: SnapshotSource<S>, plan: RecoveryPlan): Promise<RecoveredState<S>> {
  const { domain, options, stream, partition, logger } = source;
  const label = `${stream.name}[${partition}]`;
  const replayFrom = (state: PartitionState<S>, snapshot?: Snapshot, warm?: WarmStart<S>) => {
    const from = state.lastOffset + 1;
    plan.onReplay(from, Math.max(0, plan.end - from), warm ? 'warm standby' : snapshot);
    return replay(state, {
      stream,
      partition,
      from,
      to: plan.end,
      snapshot,
      warm: warm?.origin,
      verifyEveryRecords: options.replayVerifyEveryRecords,
      onProgress: plan.onProgress,
    });
  };
  const warm = plan.useSnapshots ? (plan.warm as WarmStart<S> | undefined) : undefined;
  // Folded by this log's rules up to its origin, which the log must still hold word for word (see `readAfter`).
  if (warm && warm.state.lastOffset < plan.end && warm.state.lastOffset >= plan.start - 1 && (warm.origin?.offset ?? -1) === warm.state.lastOffset) {
    try {
      return { state: warm.state, skipped: await replayFrom(warm.state, undefined, warm), warm: true };
    } catch (error) {
      if (!(error instanceof SnapshotRefutedError)) throw error;
      logger.warn(`${label}: setting the warm standby at ${warm.state.lastOffset} aside: ${error.message}`, { partition });
    }
  }
  for (const snapshot of plan.useSnapshots ? await storedSnapshots(source) : []) {
    const restored = restoreSnapshot(domain, dedupeLimitsOf(options), snapshot, plan.start, plan.end);
    if ('unusable' in restored) {
      logger.warn(`${label}: skipping snapshot at ${snapshot.lastOffset}: ${restored.unusable}`, { partition });
      continue;
    }
    try {
      return { state: restored.state, skipped: await replayFrom(restored.state, snapshot), snapshot };
    } catch (error) {
      if (!(error instanceof SnapshotRefutedError)) throw error;
      logger.warn(`${label}: skipping snapshot at ${snapshot.lastOffset}: ${error.message}`, { partition });
    }
  }
  if (plan.start > 0) {
    // A snapshot the log disagreed with can only be set aside by replaying the whole log, and this log is not whole.
    if (!plan.useSnapshots)
      throw new DivergedError(`${label} starts at offset ${plan.start}, so it cannot be replayed whole in place of the snapshot that disagreed with it`);
    throw new Error(`${label} starts at offset ${plan.start} and no snapshot the log confirms covers the gap`);
  }
  const state = new PartitionState(domain, dedupeLimitsOf(options));
  return { state, skipped: await replayFrom(state) };
}
