import { randomBytes } from 'node:crypto';
import { decideBatch, DirectReply, TopicReply } from '../partition/decide-batch';
import { UnsentOutbox } from '../partition/partition-state';
import { ReceivedEnvelope, RECORD_VERSION, WrittenLogRecord } from '../partition/records';
import { SideMessage } from '../ports/event-stream';
import { PartitionMessages } from './partition-messages';
import { PartitionStats } from './partition-stats';
import { RecoveredPartition } from './recover-partition';
import { partitionLabel, RunnerDeps } from './runner-deps';
import { replyMessages } from './side-messages';
import { SnapshotSchedule } from './snapshot-schedule';
import { withTimeout } from './time-limits';

/** How a batch ended: it counts (and maybe a snapshot is due after it), or it failed and memory holds what did not count. */
export type CommitOutcome = { counted: true; snapshotDue: boolean } | { failed: unknown };

type Keyed = { key: string; record: WrittenLogRecord };

/**
 * Decides and commits batches for one ownership. Nobody hears of a batch before its records are appended and known to
 * count (no newer claim before them): only then do its replies, outbox commands and views go out, after those of the
 * batches before it, while the next batch is decided.
 */
export class BatchCommit<S> {
  /** Outbox commands of every record up to here are sent; an `outbox-sent` record tells the log lazily. */
  private sentThrough: number;
  /**
   * Replies and outboxes on their way, one batch after another. Rejected from the first failed send on, so no later
   * batch counts its own sends done (nor logs `outbox-sent`) past it.
   */
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly recovered: RecoveredPartition<S>,
    private readonly schedule: SnapshotSchedule,
    private readonly context: { deps: RunnerDeps<S>; partition: number; stats: PartitionStats; messages: PartitionMessages<S>; failed(error: unknown): void },
  ) {
    // Recovery sent whatever the log had not marked sent.
    this.sentThrough = recovered.state.claim;
  }

  /** Whether the log has outboxes left unsent that went out already: an `outbox-sent` record is due. */
  outboxesSentUnlogged(): boolean {
    const unsent = this.recovered.state.unsent;
    return unsent.length > 0 && unsent[0].offset <= this.sentThrough;
  }

  /** Resolves once the sends of every batch so far are done or one failed. */
  delivered(): Promise<void> {
    return this.delivering.catch(() => undefined);
  }

  /** `forSnapshot`: the batch a snapshot is taken after, which ends on a checkpoint (alone, if nothing else is due). */
  async run(envelopes: ReceivedEnvelope[], forSnapshot: boolean, snapshotInFlight: boolean): Promise<CommitOutcome> {
    const { deps, partition, stats } = this.context;
    const state = this.recovered.state;
    let plan: { checkpoint: boolean; snapshot: boolean };
    // Whatever throws from here on (the domain deciding or counting events, the append, its proof) has left this
    // memory ahead of the log: it is dropped and recovered, like a failed commit.
    try {
      const deciding = performance.now();
      const writes = decideBatch(deps.domain, state, envelopes);
      // Each already refused `internal_error` (and logged, so never read again): the partition keeps serving.
      for (const { commandId, aggregateId, error } of writes.failures) {
        deps.logger.error(`${partitionLabel(deps, partition)}: decide threw on ${commandId} for ${aggregateId}: ${(error as Error)?.stack ?? String(error)}`, {
          partition,
          commandId,
          aggregateId,
        });
      }
      const outboxSent = this.outboxesSentUnlogged();
      const records: Keyed[] = outboxSent
        ? [{ key: '', record: { v: RECORD_VERSION, type: 'outbox-sent', claim: state.claim, through: this.sentThrough } }]
        : [];
      records.push(...writes.records);
      const decided = writes.records.map(({ record }) => record);
      // Taken on a checkpoint, a snapshot can be checked against the log by whoever loads it.
      plan = forSnapshot
        ? { ...this.schedule.snapshotBatch(decided, state.lastOffset, outboxSent), snapshot: false }
        : this.schedule.batch(decided, snapshotInFlight);
      if (plan.checkpoint) {
        records.push({
          key: '',
          record: { v: RECORD_VERSION, type: 'checkpoint', claim: state.claim, stateHash: state.hash(), id: randomBytes(16).toString('base64url') },
        });
      }
      const started = performance.now();
      if (envelopes.length > 0) stats.stageMs.decide.add(started - deciding);
      const direct = writes.replies.filter((reply): reply is DirectReply => 'answer' in reply);
      const replies = await this.context.messages.deliverable(writes.replies.filter((reply): reply is TopicReply => 'to' in reply));
      const publishesChanges = await this.context.messages.publishingChanges();
      const appending = performance.now();
      const outbox = records.length > 0 ? await this.append(records) : [];
      if (records.length > 0) stats.stageMs.append.add(performance.now() - appending);
      // The batch counts: whoever sent a command straight here, or follows what it changed, hears at once, not after
      // the sends of earlier batches.
      for (const { answer, outcome } of direct) answer(outcome);
      const { messages: sides } = this.context;
      const changes = sides.wantsViews(publishesChanges)
        ? sides.changes(
            records.map(({ record }) => record),
            state,
          )
        : [];
      sides.viewsChanged(changes);
      const messages: SideMessage[] = [...sides.outbox(outbox), ...replyMessages(replies), ...(publishesChanges ? changes : [])];
      this.deliver(messages, started);
    } catch (error) {
      return { failed: error };
    }
    stats.committed(envelopes.length, forSnapshot);
    return { counted: true, snapshotDue: plan.snapshot };
  }

  /** Appends the batch, proves it counts, and writes it into memory; returns the outboxes its records hold. */
  private async append(records: Keyed[]): Promise<UnsentOutbox[]> {
    const { writer, appends, state } = this.recovered;
    const appended = records.map(({ key, record }) => ({ key, value: JSON.stringify(record) }));
    const first = await writer.append(appended);
    await withTimeout(this.context.deps.options.commitTimeoutMs, 'checking the batch counts', appends.counted(first, first + records.length - 1));
    const outbox: UnsentOutbox[] = [];
    records.forEach(({ record }, index) => {
      state.written(record, first + index);
      if (record.type === 'checkpoint') this.schedule.checkpointAppended(first + index, appended[index].value);
      if (record.type === 'outcome' && record.outbox) outbox.push({ offset: first + index, outbox: record.outbox });
    });
    return outbox;
  }

  /** The batch counts: its messages go out after those of the batches before it, and the next batch need not wait. */
  private deliver(messages: SideMessage[], started: number): void {
    const { writer, state } = this.recovered;
    const through = state.lastOffset;
    this.delivering = this.delivering
      .then(() => (messages.length > 0 ? writer.send(messages) : undefined))
      .then(() => {
        this.sentThrough = Math.max(this.sentThrough, through);
        this.context.stats.delivered(performance.now() - started);
      });
    this.delivering.catch((error: unknown) => this.context.failed(error));
  }
}
