import { PartitionState } from '../partition/partition-state';
import { RECORD_VERSION, WrittenLogRecord } from '../partition/records';
import { PartitionWriter, StreamRecord } from '../ports/event-stream';
import { OwnAppends } from './own-appends';
import { PartitionMessages } from './partition-messages';
import { PartitionStats } from './partition-stats';
import { recoverState } from './recover-state';
import { partitionLabel, RunnerDeps } from './runner-deps';

/** What one ownership starts serving with: nothing else carries over from an earlier one. */
export interface RecoveredPartition<S> {
  state: PartitionState<S>;
  writer: PartitionWriter;
  /** Closes the writer (once, however often called). */
  close(): Promise<void>;
  /** Proves this owner's appends count (no newer claim before them). */
  appends: OwnAppends;
  /** Records replayed, none of which a snapshot holds. */
  replayed: number;
  /** Whether the state started from a snapshot or a warm standby: a divergence found later may then be its fault. */
  fromSnapshot: boolean;
}

export interface RecoveryAttempt {
  /** Only the whole log will do: a snapshot disagreed with it in an earlier attempt. */
  wholeLog: boolean;
  /** True once a newer attempt or a release replaced this one: it stops and serves nothing. */
  superseded(): boolean;
  /** Hands over the writer's close as soon as there is a writer, for a release to close it while recovery runs. */
  opened(close: () => Promise<void>): void;
  /** Told whenever a replay starts, whether from a snapshot: what throws from then on was found starting there. */
  replaying(fromSnapshot: boolean): void;
}

/**
 * Fences, recovers and resends: claims the partition in the log (fencing every earlier owner), folds the log up to
 * the claim (from a snapshot the log confirms, when there is one), and sends again the outboxes an earlier owner may
 * not have sent. Undefined when superseded on the way; the writer is closed on every way out but success.
 */
export async function recoverPartition<S>(
  deps: RunnerDeps<S>,
  partition: number,
  attempt: RecoveryAttempt,
  stats: PartitionStats,
  messages: PartitionMessages<S>,
): Promise<RecoveredPartition<S> | undefined> {
  const { stream, logger } = deps;
  const label = partitionLabel(deps, partition);
  const started = Date.now();
  const writer = await stream.openWriter(partition);
  const opened = Date.now();
  const close = closeOnce(writer);
  attempt.opened(close);
  try {
    if (attempt.superseded()) return void (await close());
    // The claim fences every earlier owner: from here on, nothing they append counts.
    const claim = await writer.append([{ key: '', value: JSON.stringify({ v: RECORD_VERSION, type: 'claim', owner: deps.owner } satisfies WrittenLogRecord) }]);
    const claimed = Date.now();
    const timed = async <T>(work: Promise<T>): Promise<[T, number]> => [await work, Date.now() - claimed];
    const [[{ start }, boundsMs], [warm, warmMs]] = await Promise.all([
      timed(stream.bounds(partition)),
      timed(Promise.resolve(attempt.wholeLog ? undefined : deps.warm?.(partition))),
    ]);
    const replayStarted = Date.now();
    let lastReport = replayStarted;
    const {
      state,
      skipped,
      snapshot,
      warm: fromWarm,
    } = await recoverState(
      { ...deps, partition },
      {
        start,
        end: claim + 1,
        useSnapshots: !attempt.wholeLog,
        warm,
        onReplay: (from, total, origin) => {
          attempt.replaying(origin !== undefined);
          stats.replayStarted(total);
          const after = origin === 'warm standby' ? ' after the warm standby' : origin ? ' after a snapshot' : '';
          logger.log(`${label}: claimed at offset ${claim}; replaying offsets ${from}..${claim}${after} (${total} to do)`, { partition });
        },
        onProgress: (done) => {
          if (attempt.superseded()) throw new Error('recovery superseded');
          stats.replay.done = done;
          if (Date.now() - lastReport < 1_000) return;
          lastReport = Date.now();
          logger.log(`${label}: replayed ${done}/${stats.replay.total}`, { partition });
        },
      },
    );
    if (snapshot) stats.lastSnapshotOffset = snapshot.lastOffset;
    if (attempt.superseded()) return void (await close());
    if (state.claim !== claim) throw new Error(`${label}: replay ended under claim ${state.claim}, not this owner's claim at ${claim}`);
    const appends = new OwnAppends(claim, label, async (gapFrom, gapTo) => {
      const gap: StreamRecord[] = [];
      await stream.read(partition, gapFrom, gapTo, (records) => void gap.push(...records));
      return gap;
    });
    // Outboxes an earlier owner may not have sent go out again before anything new; receivers drop repeats by origin.
    if (state.unsent.length > 0) await writer.send(messages.outbox(state.unsent));
    if (attempt.superseded()) return void (await close());
    stats.replay.done = stats.replay.total;
    const now = Date.now();
    const ignored = skipped > 0 ? `, ${skipped} written under superseded claims ignored` : '';
    logger.log(
      `${label}: serving after ${now - started} ms (writer ${opened - started} ms, claim ${claimed - opened} ms, bounds ${boundsMs} ms, standby ${warmMs} ms; ${stats.replay.total} events replayed in ${now - replayStarted} ms${ignored}, hash ${state.hash().slice(0, 12)})`,
      { partition },
    );
    return { state, writer, close, appends, replayed: stats.replay.total, fromSnapshot: snapshot !== undefined || fromWarm === true };
  } catch (error) {
    void close();
    throw error;
  }
}

/** Closes the writer once, however many ask; a failure to close is of no interest to anyone. */
export function closeOnce(writer: PartitionWriter): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= writer.close().catch(() => undefined));
}
