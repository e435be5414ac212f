import { RecentSamples } from './recent-samples';

/** What one partition's runner measures for its status, across the ownerships it serves. */
export class PartitionStats {
  replay = { done: 0, total: 0 };
  lastSnapshotOffset: number | null = null;
  lastBatchSize = 0;
  lastCommitMs = 0;
  readonly commitMs = new RecentSamples();
  readonly stageMs = { queue: new RecentSamples(), decide: new RecentSamples(), append: new RecentSamples() };
  commandsCommitted = 0;

  replayStarted(total: number): void {
    this.replay = { done: 0, total };
  }

  /** A batch counts; `size` commands went into it (none in the one a snapshot is taken after). */
  committed(size: number, forSnapshot: boolean): void {
    if (!forSnapshot) this.lastBatchSize = size;
    this.commandsCommitted += size;
  }

  stages(): Record<keyof PartitionStats['stageMs'], { p50Ms: number; p99Ms: number }> {
    const of = (samples: RecentSamples) => ({ p50Ms: samples.percentile(0.5), p99Ms: samples.percentile(0.99) });
    return { queue: of(this.stageMs.queue), decide: of(this.stageMs.decide), append: of(this.stageMs.append) };
  }

  /** A batch's replies and outboxes went out, `ms` after its commit started. */
  delivered(ms: number): void {
    this.lastCommitMs = ms;
    this.commitMs.add(ms);
  }
}
