import { PartitionImage } from '../partition/partition-state';
import { partitionLabel, RunnerDeps } from './runner-deps';
import { snapshotText } from './snapshot-text';
import { withTimeout } from './time-limits';

/**
 * Saves an image taken right after the checkpoint `checkpointText` was appended (the log confirms the snapshot by
 * it), tells `onSaved`, then prunes older snapshots. False when it was not saved: serving goes on, a missing snapshot
 * costs replay time, never data.
 */
export async function saveSnapshot<S>(
  deps: RunnerDeps<S>,
  partition: number,
  image: PartitionImage<S>,
  checkpointText: string,
  onSaved: () => void,
): Promise<boolean> {
  const { snapshots, stream, domain, options, logger } = deps;
  const label = partitionLabel(deps, partition);
  const { text, stateHash } = await snapshotText(image);
  const snapshot = {
    stream: stream.name,
    partition,
    lastOffset: image.lastOffset,
    schemaVersion: domain.schemaVersion,
    stateHash,
    state: text,
    checkpoint: checkpointText,
  };
  try {
    await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.save(snapshot));
  } catch (error) {
    logger.warn(`${label}: snapshot at ${image.lastOffset} failed: ${(error as Error).message}`, { partition });
    return false;
  }
  onSaved();
  await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.prune(stream.name, partition, options.snapshotsKept)).catch((error: unknown) =>
    logger.warn(`${label}: pruning old snapshots failed: ${(error as Error).message}`, { partition }),
  );
  return true;
}
