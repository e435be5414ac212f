import { PartitionImage } from '../partition/partition-state';
import { ReceivedEnvelope } from '../partition/records';
import { BatchCommit } from './commit-batch';
import { PartitionMessages } from './partition-messages';
import { PartitionStats } from './partition-stats';
import { RecoveredPartition } from './recover-partition';
import { RunnerDeps } from './runner-deps';
import { saveSnapshot } from './save-snapshot';
import { SnapshotSchedule } from './snapshot-schedule';
import { atMost } from './time-limits';

/** A state's image and the checkpoint appended right before it, which confirms it in the log. */
interface SnapshotImage<S> {
  image: PartitionImage<S>;
  checkpoint: { offset: number; text: string };
}

export interface ServingContext<S> {
  deps: RunnerDeps<S>;
  partition: number;
  stats: PartitionStats;
  messages: PartitionMessages<S>;
  /** Whether the runner is handing its inbox to batches right now (then it logs sent outboxes itself). */
  draining(): boolean;
  /** A commit or a delivery failed: the runner drops this ownership and recovers. */
  failed(error: unknown): void;
}

/**
 * One ownership of a partition, from recovery to its end: the state, the writer, the proof that appends count, and
 * the counters of what was sent and what is due. Batches run one after another in its lane; a new ownership is a new
 * object, so nothing of this one carries over.
 */
export class ServingPartition<S> {
  private readonly commit: BatchCommit<S>;
  private readonly schedule: SnapshotSchedule;
  /** Whether batches still run: false once dropped or released. */
  private accepting = true;
  /** Memory holds decisions that did not count (or was dropped): nothing may snapshot or checkpoint it. */
  private abandoned = false;
  private lane: Promise<unknown> = Promise.resolve();
  private snapshotInFlight?: Promise<void>;
  /** The image `quiesce` took for the snapshot of a planned stop. */
  private lastImage?: Promise<SnapshotImage<S> | undefined>;
  private timers: NodeJS.Timeout[] = [];
  private timerBatchPending = false;

  constructor(
    private readonly recovered: RecoveredPartition<S>,
    private readonly context: ServingContext<S>,
  ) {
    const { options, domain } = context.deps;
    this.schedule = new SnapshotSchedule({ ...options, snapshotEvery: domain.snapshotEvery }, recovered.replayed, Date.now());
    this.commit = new BatchCommit(recovered, this.schedule, context);
  }

  get fromSnapshot(): boolean {
    return this.recovered.fromSnapshot;
  }

  get lastOffset(): number {
    return this.recovered.state.lastOffset;
  }

  get aggregates(): number {
    return this.recovered.state.aggregateStates.size;
  }

  /** Hash and offset of the state in memory, for checks against an independent fold of the log. */
  fingerprint(): { hash: string; lastOffset: number } {
    return { hash: this.recovered.state.hash(), lastOffset: this.recovered.state.lastOffset };
  }

  /** Runs one batch after the ones before it; resolves false when its commit failed or this ownership ended. */
  enqueue(envelopes: ReceivedEnvelope[]): Promise<boolean> {
    const run = this.lane.then(() => (this.accepting ? this.commitBatch(envelopes, false) : false));
    this.lane = run.catch(() => undefined);
    return run;
  }

  private async commitBatch(envelopes: ReceivedEnvelope[], forSnapshot: boolean): Promise<boolean> {
    const outcome = await this.commit.run(envelopes, forSnapshot, this.snapshotInFlight !== undefined);
    if ('failed' in outcome) {
      // Memory now holds decisions that did not count: even when the runner has moved on and ignores the failure.
      this.abandoned = true;
      this.context.failed(outcome.failed);
      return false;
    }
    if (outcome.snapshotDue) void this.snapshot();
    return true;
  }

  startTimers(): void {
    const { domain, options } = this.context.deps;
    const timer = domain.timer;
    if (timer) this.timers.push(setInterval(() => this.tick(), timer.intervalMs));
    this.timers.push(
      setInterval(
        () => {
          if (this.abandoned) return;
          if (this.schedule.dueByTime(Date.now())) void this.snapshot();
          // When commands stop, the log still learns that the last outboxes went out, so a next owner need not resend them.
          if (this.commit.outboxesSentUnlogged() && !this.context.draining()) void this.enqueue([]);
        },
        Math.min(options.snapshotEveryMs, 1_000),
      ),
    );
  }

  private tick(): void {
    const timer = this.context.deps.domain.timer;
    if (!timer || !this.accepting || this.timerBatchPending) return;
    const issuedAt = this.context.deps.now();
    const envelopes = timer
      .commands(this.recovered.state.aggregateStates, issuedAt)
      .map(({ aggregateId, commandId, command }) => ({ commandId, aggregateId, issuedAt, command }));
    if (envelopes.length === 0) return;
    this.timerBatchPending = true;
    void this.enqueue(envelopes).finally(() => (this.timerBatchPending = false));
  }

  /**
   * Snapshots off the hot path: the image is taken between two batches (so it holds only records that count), right
   * after a checkpoint, then written out in slices and saved in the background.
   */
  private snapshot(): Promise<void> {
    if (this.abandoned || this.snapshotInFlight) return this.snapshotInFlight ?? Promise.resolve();
    this.schedule.snapshotStarted(Date.now());
    this.snapshotInFlight = this.takeImage()
      .then((taken) => taken && this.save(taken))
      .finally(() => (this.snapshotInFlight = undefined));
    return this.snapshotInFlight;
  }

  /** Appends a checkpoint after the batches before it, and takes the state's image right after it; undefined if that failed. */
  private takeImage(): Promise<SnapshotImage<S> | undefined> {
    const taken = this.lane.then(async () => {
      if (!this.abandoned) await this.commitBatch([], true);
      const checkpoint = this.schedule.lastCheckpoint;
      const image = this.abandoned ? undefined : this.recovered.state.image();
      // Taken right after a checkpoint was appended (the batch above), so this holds unless that batch failed.
      return image && checkpoint?.offset === image.lastOffset ? { image, checkpoint } : undefined;
    });
    this.lane = taken.catch(() => undefined);
    return taken;
  }

  private async save({ image, checkpoint }: SnapshotImage<S>): Promise<void> {
    const { deps, partition, stats } = this.context;
    const saved = await saveSnapshot(deps, partition, image, checkpoint.text, () => (stats.lastSnapshotOffset = image.lastOffset));
    if (!saved) this.schedule.snapshotFailed();
  }

  /**
   * Ends this ownership after a failure: no more batches, timers or snapshots; the writer closes at once. Resolves
   * once the batch that was in flight and the sends before it have ended, so a stop can wait for them.
   */
  async drop(): Promise<void> {
    this.accepting = false;
    this.abandoned = true;
    this.stopTimers();
    void this.recovered.close();
    await this.lane;
    await this.commit.delivered();
  }

  /**
   * Ends the batches as planned: the one in flight and its sends finish, and when asked, a checkpoint is appended after
   * them and the state's image taken. This ownership appends nothing more: the partition may move while `release`
   * saves the image.
   */
  async quiesce(takeSnapshot: boolean): Promise<void> {
    this.accepting = false;
    this.stopTimers();
    // The last batch may queue work behind it (the image of a snapshot it made due): waited for until the lane stays put.
    for (let lane = this.lane; ; lane = this.lane) {
      await lane;
      if (lane === this.lane) break;
    }
    await this.commit.delivered();
    if (takeSnapshot && !this.abandoned && this.schedule.unsnapshotted) {
      this.schedule.snapshotStarted(Date.now());
      this.lastImage ??= this.takeImage();
    }
    await atMost(this.context.deps.options.stopSnapshotTimeoutMs, this.lastImage ?? Promise.resolve());
  }

  /** Ends this ownership as planned: `quiesce`, then the snapshots' saves (if asked), then the writer closes. */
  async release(takeSnapshot: boolean): Promise<void> {
    await this.quiesce(takeSnapshot);
    if (takeSnapshot && !this.abandoned) {
      const timeout = this.context.deps.options.stopSnapshotTimeoutMs;
      // Saved after the one in flight, so the newest is saved last.
      await atMost(timeout, this.snapshotInFlight ?? Promise.resolve());
      const last = await this.lastImage;
      if (last) await atMost(timeout, this.save(last));
    }
    this.abandoned = true;
    await this.recovered.close();
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
