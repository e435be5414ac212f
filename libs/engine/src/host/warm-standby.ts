import { PartitionState } from '../partition/partition-state';
import { EventStream, StreamRecord, withReadsThrough } from '../ports/event-stream';
import { SnapshotSource } from './load-snapshot';
import { WarmOrigin } from './read-after';
import { recoverState } from './recover-state';
import { replay } from './replay';

/** A partition's memory kept warm here, and the record it was last folded to (read again when it is taken over). */
export interface WarmStart<S> {
  state: PartitionState<S>;
  /** Undefined only for a state that has folded nothing yet (`lastOffset` -1). */
  origin?: WarmOrigin;
}

const FOLLOW_EVERY_MS = 250;
/** After a failed fold (a divergence, say), a partition is left alone this long before it is built again. */
const RETRY_AFTER_MS = 5_000;

/** The stream as it is, remembering the last record of each chunk the reader took without throwing. */
const recording = (stream: EventStream, seen: (record: StreamRecord) => void): EventStream =>
  withReadsThrough(stream, (onRecords) => async (records) => {
    await onRecords(records);
    seen(records[records.length - 1]);
  });

const originOf = <S>(state: PartitionState<S>, last: StreamRecord | undefined): WarmOrigin | undefined =>
  last && last.offset === state.lastOffset && last.value ? { offset: last.offset, text: last.value.toString('utf8') } : undefined;

/**
 * Warm standbys (DESIGN.md): every partition of the service this process does not own is followed here, folded by the
 * log's own rules as replay folds it, from the newest snapshot the log confirms, then a few records every 250 ms. When
 * the partition is assigned here, its recovery starts from this memory: the log's record at the standby's last offset
 * is read again and must be the very text folded in, then only the records since are replayed, instead of everything
 * since the last snapshot. A standby that failed or fell out of step with the log is dropped and rebuilt.
 */
export class WarmStandbys<S> {
  private readonly followers = new Map<number, WarmStart<S>>();
  private readonly busy = new Map<number, Promise<void>>();
  private readonly failedUntil = new Map<number, number>();
  private owned = new Set<number>();
  private partitions = 0;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private firstRound?: Promise<void>;
  private stopped = false;

  constructor(private readonly source: Omit<SnapshotSource<S>, 'partition'>) {}

  start(): void {
    const round = () => (this.round ??= this.followAll().finally(() => (this.round = undefined)));
    this.firstRound = round();
    this.timer = setInterval(() => void round(), FOLLOW_EVERY_MS);
    this.timer.unref();
  }

  /** Resolves once every partition not owned here was followed once: folded up to the log's end then, or given up. */
  warmed(): Promise<void> {
    return this.firstRound ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    this.followers.clear();
  }

  /** The partitions assigned here now: not followed while owned. A revoked one is followed again, from its snapshot. */
  assigned(partitions: Iterable<number>): void {
    const before = this.owned;
    this.owned = new Set(partitions);
    // Kept owned since before: its recovery has taken what it needed, or did without.
    for (const partition of before) if (this.owned.has(partition)) this.followers.delete(partition);
  }

  /** Hands the memory followed for `partition` over to its new owner here, once any fold in progress is done. */
  async take(partition: number): Promise<WarmStart<S> | undefined> {
    this.owned.add(partition);
    await this.busy.get(partition);
    const warm = this.followers.get(partition);
    this.followers.delete(partition);
    return warm;
  }

  /** Partitions followed now, with the offset each has folded up to. */
  status(): { partition: number; lastOffset: number }[] {
    return [...this.followers].map(([partition, { state }]) => ({ partition, lastOffset: state.lastOffset })).sort((a, b) => a.partition - b.partition);
  }

  private async followAll(): Promise<void> {
    if (this.partitions === 0) this.partitions = await this.source.stream.partitionCount(this.source.stream.name).catch(() => 0);
    for (let partition = 0; partition < this.partitions && !this.stopped; partition++) {
      if (this.owned.has(partition) || (this.failedUntil.get(partition) ?? 0) > Date.now()) continue;
      const work = this.follow(partition);
      this.busy.set(partition, work);
      await work;
      this.busy.delete(partition);
    }
  }

  private async follow(partition: number): Promise<void> {
    const { stream, logger } = this.source;
    let last: StreamRecord | undefined;
    const recorded = recording(stream, (record) => (last = record));
    const abandoned = () => this.stopped || this.owned.has(partition);
    // Not knowing the log's end this round is no reason to drop what was folded: the next round asks again.
    const bounds = await stream.bounds(partition).catch(() => undefined);
    if (!bounds) return;
    const { start, end } = bounds;
    try {
      const follower = this.followers.get(partition);
      if (!follower) {
        const recovered = await recoverState(
          { ...this.source, stream: recorded, partition },
          {
            start,
            end,
            useSnapshots: true,
            onReplay: () => undefined,
            onProgress: () => {
              if (abandoned()) throw new Error('the partition was assigned here meanwhile');
            },
          },
        );
        if (!abandoned()) this.followers.set(partition, { state: recovered.state, origin: originOf(recovered.state, last) });
        return;
      }
      const next = follower.state.lastOffset + 1;
      // The log no longer holds what was folded: recreated, or cut before it. Start again from its snapshots.
      if (end < next || start > next) return void this.followers.delete(partition);
      if (end === next) return;
      await replay(follower.state, {
        stream: recorded,
        partition,
        from: next,
        to: end,
        verifyEveryRecords: this.source.options.replayVerifyEveryRecords,
        onProgress: () => undefined,
      });
      follower.origin = originOf(follower.state, last);
    } catch (error) {
      // A partial fold is worth nothing: the next round builds the standby again, or the owner recovers without one.
      this.followers.delete(partition);
      if (abandoned()) return;
      this.failedUntil.set(partition, Date.now() + RETRY_AFTER_MS);
      logger.warn(`${stream.name}[${partition}]: warm standby dropped: ${(error as Error).message}`, { partition });
    }
  }
}
