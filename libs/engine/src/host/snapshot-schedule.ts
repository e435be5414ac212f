import { LogRecord } from '../partition/records';

export interface ScheduleSettings {
  /** Append a checkpoint once this many decided records were appended since the last one. */
  checkpointEveryRecords: number;
  /** Snapshot once this many decided records were appended since the last snapshot ... */
  snapshotEveryRecords: number;
  /** ... or this long after it, if anything was appended since. */
  snapshotEveryMs: number;
  /** The domain's own measure, which replaces `snapshotEveryRecords` when given. */
  snapshotEvery?: { events: number; counts(event: unknown): boolean };
}

/** What a batch of decided records must end with. */
export interface BatchPlan {
  checkpoint: boolean;
  /** A snapshot is due once this batch counts; it is taken on a checkpoint, so `checkpoint` is true too. */
  snapshot: boolean;
}

/**
 * When one owner appends checkpoints and takes snapshots. Pure bookkeeping: it is told what was decided, appended
 * and snapshotted, and when, and answers what is due; a new owner starts a new schedule.
 */
export class SnapshotSchedule {
  private recordsSinceCheckpoint = 0;
  private recordsSinceSnapshot: number;
  /** Events the domain's `snapshotEvery` counts, since the last snapshot. */
  private eventsSinceSnapshot = 0;
  private lastSnapshotAt: number;
  /** The newest checkpoint appended, as written: a snapshot taken on it keeps the text for the log to confirm it by. */
  private checkpoint?: { offset: number; text: string };

  /** `replayed`: records recovery replayed, none of which a snapshot holds yet; `now`: when serving starts. */
  constructor(
    private readonly settings: ScheduleSettings,
    replayed: number,
    now: number,
  ) {
    this.recordsSinceSnapshot = replayed;
    this.lastSnapshotAt = now;
  }

  get lastCheckpoint(): { offset: number; text: string } | undefined {
    return this.checkpoint;
  }

  /** Whether records were appended that no snapshot holds yet. */
  get unsnapshotted(): boolean {
    return this.recordsSinceSnapshot > 0;
  }

  /**
   * Counts a batch's decided records and says what it ends with. A snapshot already on its way is not started
   * again, though the records count toward the next one.
   */
  batch(decided: readonly LogRecord[], snapshotInFlight: boolean): BatchPlan {
    this.recordsSinceCheckpoint += decided.length;
    const snapshot = this.countTowardSnapshot(decided) && !snapshotInFlight;
    const checkpoint = snapshot || this.recordsSinceCheckpoint >= this.settings.checkpointEveryRecords;
    if (checkpoint) this.recordsSinceCheckpoint = 0;
    return { checkpoint, snapshot };
  }

  /**
   * The batch a snapshot is taken after must end on a checkpoint: a new one, unless the state already ends on the
   * latest one (`lastOffset`) and the batch appends nothing else (`outboxSent`: it logs that outboxes went out).
   */
  snapshotBatch(decided: readonly LogRecord[], lastOffset: number, outboxSent: boolean): { checkpoint: boolean } {
    this.recordsSinceCheckpoint += decided.length;
    const endsOnCheckpoint = !outboxSent && decided.length === 0 && this.checkpoint?.offset === lastOffset;
    const checkpoint = !endsOnCheckpoint || this.recordsSinceCheckpoint >= this.settings.checkpointEveryRecords;
    if (checkpoint) this.recordsSinceCheckpoint = 0;
    return { checkpoint };
  }

  checkpointAppended(offset: number, text: string): void {
    this.checkpoint = { offset, text };
  }

  /** Whether the time since the last snapshot calls for one. */
  dueByTime(now: number): boolean {
    return this.unsnapshotted && now - this.lastSnapshotAt >= this.settings.snapshotEveryMs;
  }

  snapshotStarted(now: number): void {
    this.recordsSinceSnapshot = 0;
    this.eventsSinceSnapshot = 0;
    this.lastSnapshotAt = now;
  }

  /** A snapshot that was not saved leaves something to snapshot, whatever was appended since it started. */
  snapshotFailed(): void {
    this.recordsSinceSnapshot = Math.max(this.recordsSinceSnapshot, 1);
  }

  private countTowardSnapshot(decided: readonly LogRecord[]): boolean {
    this.recordsSinceSnapshot += decided.length;
    const every = this.settings.snapshotEvery;
    if (!every) return this.recordsSinceSnapshot >= this.settings.snapshotEveryRecords;
    for (const record of decided) {
      if (record.type === 'outcome') for (const event of record.events) if (every.counts(event)) this.eventsSinceSnapshot++;
    }
    return this.eventsSinceSnapshot >= every.events;
  }
}
