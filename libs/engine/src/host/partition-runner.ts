import { AggregateDomain } from '../domain/aggregate-domain';
import { decideBatch, Reply } from '../partition/decide-batch';
import { parseEnvelope } from '../partition/parse-envelope';
import { parseLogRecord } from '../partition/parse-log-record';
import { PartitionState } from '../partition/partition-state';
import { CommandEnvelope, LogRecord, ReceivedEnvelope, ReplyRecord } from '../partition/records';
import { InboundCommand } from '../ports/command-feed';
import { EventStream, PartitionWriter, SideMessage, WriterFencedError } from '../ports/event-stream';
import { SnapshotStore } from '../ports/snapshot-store';
import { EngineLogger, EngineOptions } from './engine-options';
import { loadSnapshot } from './load-snapshot';
import { RecentSamples } from './recent-samples';
import { snapshotText } from './snapshot-text';
import { atMost, withTimeout } from './time-limits';
import { PartitionPhase, PartitionStatus } from './partition-status';

export interface RunnerDeps<S> {
  domain: AggregateDomain<S, unknown, unknown, unknown>;
  stream: EventStream;
  snapshots: SnapshotStore;
  /** The commands topic of a service, for commands this partition sends (its own service when omitted). */
  commandsTopic(service?: string): string;
  options: EngineOptions;
  logger: EngineLogger;
  /** Reads a clock; only the engine does, and only to stamp commands its timer issues. */
  now(): number;
  /** Has the feed deliver this partition's commands again from an offset. */
  rewind(offset: number): void;
  /** Resolves at the group's next word (heartbeat or rejoin): is this partition still assigned here? */
  stillOwned(): Promise<boolean>;
}

/**
 * Hosts one owned partition: fences earlier owners, recovers (snapshot + replay), then decides
 * batches of commands, each committed in one transaction before anyone hears of it.
 */
export class PartitionRunner<S> {
  private state?: PartitionState<S>;
  private writer?: PartitionWriter;
  private phase: PartitionPhase = 'recovering';
  private lane: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private generation = 0;
  private recordsSinceCheckpoint = 0;
  private recordsSinceSnapshot = 0;
  private lastSnapshotAt = 0;
  private snapshotInFlight?: Promise<void>;
  private timerBatchPending = false;
  /** Commands received and not yet handed to a batch, oldest first. */
  private inbox: InboundCommand[] = [];
  /** Commands in the partition not fetched yet, as of the last delivery, and the ones in the batch being committed. */
  private unfetched = 0;
  private committing = 0;
  private draining = false;
  private resume?: () => void;
  private readonly stats = {
    replay: { done: 0, total: 0 },
    lastSnapshotOffset: null as number | null,
    lastBatchSize: 0,
    lastCommitMs: 0,
    commitMs: new RecentSamples(),
    commandsCommitted: 0,
    error: undefined as string | undefined,
  };

  constructor(
    readonly partition: number,
    private readonly deps: RunnerDeps<S>,
  ) {}

  get currentPhase(): PartitionPhase {
    return this.phase;
  }

  status(): PartitionStatus {
    return {
      partition: this.partition,
      phase: this.phase,
      replay: { ...this.stats.replay },
      lastOffset: this.state?.lastOffset ?? -1,
      lastSnapshotOffset: this.stats.lastSnapshotOffset,
      lag: this.unfetched + this.inbox.length + this.committing,
      lastBatchSize: this.stats.lastBatchSize,
      lastCommitMs: this.stats.lastCommitMs,
      commitP50Ms: this.stats.commitMs.percentile(0.5),
      commitP99Ms: this.stats.commitMs.percentile(0.99),
      commandsCommitted: this.stats.commandsCommitted,
      aggregates: this.state?.aggregateView.size ?? 0,
      error: this.stats.error,
    };
  }

  /** Hash and offset of the state in memory, for checks against an independent fold of the log. */
  fingerprint(): { hash: string; lastOffset: number } | undefined {
    return this.state && this.phase === 'serving' ? { hash: this.state.hash(), lastOffset: this.state.lastOffset } : undefined;
  }

  /** Fences, recovers and starts serving; on failure retries until released or fenced. */
  start(): void {
    const generation = ++this.generation;
    this.phase = 'recovering';
    void this.recover(generation);
  }

  private async recover(generation: number): Promise<void> {
    const { stream, logger } = this.deps;
    const label = `${stream.name}[${this.partition}]`;
    const started = Date.now();
    try {
      await this.closeWriter();
      this.state = undefined;
      const writer = await stream.openWriter(this.partition);
      if (generation !== this.generation) return void (await writer.close());
      this.writer = writer;
      const { start, end } = await stream.bounds(this.partition);
      const snapshot = await loadSnapshot({ ...this.deps, partition: this.partition }, start, end);
      if (snapshot) this.stats.lastSnapshotOffset = snapshot.lastOffset;
      const state = snapshot?.state;
      if (!state && start > 0) throw new Error(`${label} starts at offset ${start} and no usable snapshot covers the gap`);
      const recovered = state ?? new PartitionState(this.deps.domain, this.deps.options.dedupeCapacity);
      const from = recovered.lastOffset + 1;
      this.stats.replay = { done: 0, total: Math.max(0, end - from) };
      logger.log(`${label}: replaying offsets ${from}..${end - 1} (${this.stats.replay.total} to do)`);
      const replayStarted = Date.now();
      let lastReport = replayStarted;
      // A hash check costs one digest per entry touched since the last: verify a checkpoint every so often, and the last one.
      let sinceVerified = this.deps.options.replayVerifyEveryRecords;
      let unverified: { stateHash: string; offset: number } | undefined;
      await stream.read(this.partition, from, end, (records) => {
        if (generation !== this.generation) throw new Error('recovery superseded');
        for (const { offset, value } of records) {
          const record = parseLogRecord(value, offset);
          const verify = record.type === 'checkpoint' && sinceVerified >= this.deps.options.replayVerifyEveryRecords;
          recovered.apply(record, offset, verify);
          sinceVerified = verify ? 0 : sinceVerified + 1;
          unverified = record.type === 'checkpoint' && !verify ? { stateHash: record.stateHash, offset } : undefined;
        }
        this.stats.replay.done = records[records.length - 1].offset - from + 1;
        if (Date.now() - lastReport >= 1_000) {
          lastReport = Date.now();
          logger.log(`${label}: replayed ${this.stats.replay.done}/${this.stats.replay.total}`);
        }
      });
      if (generation !== this.generation) return;
      if (unverified) recovered.verify(unverified.stateHash, unverified.offset);
      this.state = recovered;
      this.stats.replay.done = this.stats.replay.total;
      this.stats.error = undefined;
      this.recordsSinceSnapshot = this.stats.replay.total;
      this.lastSnapshotAt = Date.now();
      // Commands resume right after the last one whose outcome is in the log; whatever the feed
      // delivered before this point came from its own idea of the position and is dropped.
      this.forgetUncommitted();
      this.deps.rewind(recovered.consumedOffset + 1);
      this.phase = 'serving';
      this.startTimers(generation);
      const now = Date.now();
      logger.log(`${label}: serving after ${now - started} ms (${this.stats.replay.total} events replayed in ${now - replayStarted} ms, hash ${recovered.hash().slice(0, 12)})`);
    } catch (error) {
      if (generation !== this.generation) return;
      this.failed(error, generation);
    }
  }

  /**
   * Drops the partition's memory after a failed commit or recovery. Taking it up again means fencing
   * whoever writes it now, so that waits until the group confirms the partition is still ours: a paused
   * or cut-off owner learns of its revocation first and never fences the new owner back.
   */
  private failed(error: unknown, generation: number): void {
    const message = error instanceof Error ? error.message : String(error);
    this.state = undefined;
    this.stopTimers();
    void this.closeWriter();
    this.forgetUncommitted();
    this.stats.error = message;
    this.phase = error instanceof WriterFencedError ? 'fenced' : 'failed';
    const label = `${this.deps.stream.name}[${this.partition}]`;
    if (this.phase === 'fenced') this.deps.logger.warn(`${label}: fenced, waiting for the group: ${message}`);
    else this.deps.logger.error(`${label}: ${message}; recovering again once the group confirms ownership`);
    void this.deps.stillOwned().then((owned) => {
      const waiting = this.phase === 'fenced' || this.phase === 'failed';
      if (owned && waiting && generation === this.generation) this.start();
    });
  }

  /**
   * Takes one delivery of commands. They wait in the inbox while recovery runs or a commit is in flight,
   * then go out in batches; a long inbox pauses the partition's feed until it drains.
   */
  receive(commands: InboundCommand[], pause: () => () => void, unfetched: number): void {
    this.unfetched = unfetched;
    if (this.phase === 'released' || commands.length === 0) return;
    this.inbox.push(...commands);
    if (!this.resume && this.inbox.length >= 4 * this.deps.options.maxBatchSize) this.resume = pause();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.phase === 'serving' && this.inbox.length > 0) {
        const chunk = this.inbox.splice(0, this.deps.options.maxBatchSize);
        if (this.resume && this.inbox.length < this.deps.options.maxBatchSize) {
          this.resume();
          this.resume = undefined;
        }
        this.committing = chunk.length;
        const committed = await this.enqueue(this.envelopes(chunk));
        this.committing = 0;
        if (!committed) break;
      }
    } finally {
      this.draining = false;
    }
  }

  /** Drops what was received but not committed: recovery rewinds the feed to the position in the log. */
  private forgetUncommitted(): void {
    this.inbox = [];
    this.resume?.();
    this.resume = undefined;
  }

  private envelopes(chunk: InboundCommand[]): ReceivedEnvelope[] {
    const envelopes: ReceivedEnvelope[] = [];
    for (const { offset, value } of chunk) {
      const parsed = parseEnvelope(value);
      if ('error' in parsed) {
        this.deps.logger.warn(`${this.deps.stream.name}[${this.partition}]: dropping command at offset ${offset}: ${parsed.error}`);
      } else {
        envelopes.push({ ...parsed, offset });
      }
    }
    return envelopes;
  }

  /** Runs one batch after the ones before it; resolves false when its commit failed. */
  private enqueue(envelopes: ReceivedEnvelope[]): Promise<boolean> {
    const generation = this.generation;
    const run = this.lane.then(() => (generation === this.generation && this.phase === 'serving' ? this.commitBatch(envelopes) : false));
    this.lane = run.catch(() => undefined);
    return run;
  }

  private async commitBatch(envelopes: ReceivedEnvelope[]): Promise<boolean> {
    const state = this.state!;
    const writer = this.writer!;
    const generation = this.generation;
    const writes = decideBatch(this.deps.domain, state, envelopes);
    const records: { key: string; record: LogRecord }[] = [...writes.records];
    this.recordsSinceCheckpoint += records.length;
    if (this.recordsSinceCheckpoint >= this.deps.options.checkpointEveryRecords) {
      records.push({ key: '', record: { type: 'checkpoint', stateHash: state.hash() } });
      this.recordsSinceCheckpoint = 0;
    }
    const replies = await this.deliverable(writes.replies);
    const messages: SideMessage[] = [
      ...replies.map(({ to, commandId, outcome }) => ({
        topic: to.topic,
        partition: to.partition,
        key: commandId,
        value: JSON.stringify({ commandId, outcome } satisfies ReplyRecord),
      })),
      ...writes.outbox.map((outgoing) => ({
        topic: this.deps.commandsTopic(outgoing.service),
        key: outgoing.aggregateId,
        value: JSON.stringify({
          commandId: outgoing.commandId,
          aggregateId: outgoing.aggregateId,
          issuedAt: outgoing.issuedAt,
          command: outgoing.command,
        } satisfies CommandEnvelope),
      })),
    ];
    const started = performance.now();
    try {
      const { firstOffset } = await writer.commit({
        events: records.map(({ key, record }) => ({ key, value: JSON.stringify(record) })),
        messages,
      });
      if (firstOffset !== undefined) state.lastOffset = firstOffset + records.length - 1;
    } catch (error) {
      if (generation === this.generation) this.failed(error, generation);
      return false;
    }
    this.stats.lastCommitMs = performance.now() - started;
    this.stats.commitMs.add(this.stats.lastCommitMs);
    this.stats.lastBatchSize = envelopes.length;
    this.stats.commandsCommitted += envelopes.length;
    this.recordsSinceSnapshot += records.length;
    if (this.recordsSinceSnapshot >= this.deps.options.snapshotEveryRecords) this.snapshot();
    return true;
  }

  /** Replies whose address exists; one to a missing topic or partition is dropped, or it would fail every retry of the batch. */
  private async deliverable(replies: Reply[]): Promise<Reply[]> {
    const kept: Reply[] = [];
    for (const reply of replies) {
      if (reply.to.partition >= 0 && reply.to.partition < (await this.deps.stream.partitionCount(reply.to.topic))) kept.push(reply);
      else this.deps.logger.warn(`${this.deps.stream.name}[${this.partition}]: no reply for ${reply.commandId}: ${reply.to.topic}[${reply.to.partition}] does not exist`);
    }
    return kept;
  }

  private startTimers(generation: number): void {
    this.stopTimers();
    const timer = this.deps.domain.timer;
    if (timer) {
      this.timers.push(setInterval(() => this.tick(generation), timer.intervalMs));
    }
    const housekeeping = Math.min(this.deps.options.snapshotEveryMs, 1_000);
    this.timers.push(
      setInterval(() => {
        if (this.recordsSinceSnapshot > 0 && Date.now() - this.lastSnapshotAt >= this.deps.options.snapshotEveryMs) this.snapshot();
      }, housekeeping),
    );
  }

  private tick(generation: number): void {
    const timer = this.deps.domain.timer;
    if (!timer || !this.state || this.phase !== 'serving' || generation !== this.generation || this.timerBatchPending) return;
    const issuedAt = this.deps.now();
    const envelopes = timer.commands(this.state.aggregateView, issuedAt).map(({ aggregateId, commandId, command }) => ({
      commandId,
      aggregateId,
      issuedAt,
      command,
    }));
    if (envelopes.length === 0) return;
    this.timerBatchPending = true;
    void this.enqueue(envelopes).finally(() => (this.timerBatchPending = false));
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Snapshots off the hot path: the image is taken now, written out in slices and saved in the background. */
  private snapshot(): Promise<void> {
    if (!this.state || this.snapshotInFlight) return this.snapshotInFlight ?? Promise.resolve();
    const { snapshots, stream, domain, options, logger } = this.deps;
    const image = this.state.image();
    const lastOffset = this.state.lastOffset;
    this.recordsSinceSnapshot = 0;
    this.lastSnapshotAt = Date.now();
    const label = `${stream.name}[${this.partition}]`;
    this.snapshotInFlight = snapshotText(image)
      .then(({ text, stateHash }) => {
        const snapshot = { stream: stream.name, partition: this.partition, lastOffset, schemaVersion: domain.schemaVersion, stateHash, state: text };
        return withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.save(snapshot));
      })
      .then(
        () => {
          this.stats.lastSnapshotOffset = lastOffset;
          return withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.prune(stream.name, this.partition, options.snapshotsKept)).catch(
            (error: unknown) => logger.warn(`${label}: pruning old snapshots failed: ${(error as Error).message}`),
          );
        },
        (error: unknown) => {
          // Serving goes on: a missing snapshot costs replay time, never data.
          this.recordsSinceSnapshot = Math.max(this.recordsSinceSnapshot, 1);
          logger.warn(`${label}: snapshot at ${lastOffset} failed: ${(error as Error).message}`);
        },
      )
      .finally(() => (this.snapshotInFlight = undefined));
    return this.snapshotInFlight;
  }

  /** Lets the partition go: finish the batch in flight, snapshot if serving, close the writer. */
  async release(takeSnapshot: boolean): Promise<void> {
    const wasServing = this.phase === 'serving';
    this.generation++;
    this.stopTimers();
    this.phase = 'released';
    this.inbox = [];
    this.resume?.();
    this.resume = undefined;
    await this.lane;
    if (takeSnapshot && wasServing && this.state && this.recordsSinceSnapshot > 0) {
      const timeout = this.deps.options.stopSnapshotTimeoutMs;
      await atMost(timeout, this.snapshotInFlight ?? Promise.resolve());
      await atMost(timeout, this.snapshot());
    }
    this.state = undefined;
    await this.closeWriter();
  }

  private async closeWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close().catch(() => undefined);
  }
}
