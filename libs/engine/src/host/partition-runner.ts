import { randomBytes } from 'node:crypto';
import { AggregateDomain } from '../domain/aggregate-domain';
import { DivergedError } from '../domain/diverged-error';
import { decideBatch, Reply } from '../partition/decide-batch';
import { parseEnvelope } from '../partition/parse-envelope';
import { DesyncError, PartitionState, UnsentOutbox } from '../partition/partition-state';
import { LogRecord, ReceivedEnvelope } from '../partition/records';
import { InboundCommand } from '../ports/command-feed';
import { EventStream, PartitionWriter, SideMessage, StreamRecord, WriterFencedError } from '../ports/event-stream';
import { SnapshotStore } from '../ports/snapshot-store';
import { EngineLogger, EngineOptions } from './engine-options';
import { OwnAppends } from './own-appends';
import { RecentSamples } from './recent-samples';
import { recoverState } from './recover-state';
import { changeMessages, outboxMessages, replyMessages } from './side-messages';
import { snapshotText } from './snapshot-text';
import { atMost, withTimeout } from './time-limits';
import { PartitionPhase, PartitionStatus } from './partition-status';

export interface RunnerDeps<S> {
  domain: AggregateDomain<S, unknown, unknown, unknown>;
  stream: EventStream;
  snapshots: SnapshotStore;
  /** The commands topic of a service, for commands this partition sends (its own service when omitted). */
  commandsTopic(service?: string): string;
  /** Where this service publishes changed aggregates' views, when its domain has a `view`. */
  changesTopic: string;
  options: EngineOptions;
  logger: EngineLogger;
  /** Reads a clock; only the engine does, and only to stamp commands its timer issues. */
  now(): number;
  /** Has the feed deliver this partition's commands again from an offset. */
  rewind(offset: number): void;
  /** Resolves at the group's next word (heartbeat or rejoin): is this partition still assigned here? */
  stillOwned(): Promise<boolean>;
  /** Names this process in its claim records, for whoever reads the log. */
  owner: string;
}

/**
 * Hosts one owned partition: claims it in the log (fencing earlier owners), recovers (snapshot + replay
 * up to the claim), then decides batches of commands. Nobody hears of a batch before its records are
 * appended and known to count (no newer claim before them): only then do replies and outbox commands go out.
 */
export class PartitionRunner<S> {
  private state?: PartitionState<S>;
  private writer?: PartitionWriter;
  private appends?: OwnAppends;
  /** Outbox commands of every record up to here are sent; an `outbox-sent` record tells the log lazily. */
  private sentThrough = -1;
  /** Whether the changes topic exists, once known. */
  private publishesChanges?: boolean;
  /**
   * Replies and outboxes on their way, one batch after another: the next batch need not wait for them. Rejected
   * from the first failed send on, so no later batch counts its own sends done (nor logs `outbox-sent`) past it.
   */
  private delivering: Promise<void> = Promise.resolve();
  private phase: PartitionPhase = 'recovering';
  /** Whether the last recovery started from a snapshot, and whether the next one must not (see `failed`). */
  private fromSnapshot = false;
  private wholeLog = false;
  private lane: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private generation = 0;
  private recordsSinceCheckpoint = 0;
  /** The newest checkpoint this owner appended, as written: a snapshot taken on it keeps the text for the log to confirm. */
  private lastCheckpoint?: { offset: number; text: string };
  private recordsSinceSnapshot = 0;
  /** Events the domain's `snapshotEvery` counts, since the last snapshot. */
  private eventsSinceSnapshot = 0;
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
    // A failure (or being fenced) on the way ends this recovery as surely as a newer one does.
    const superseded = () => generation !== this.generation || this.phase !== 'recovering';
    try {
      await this.closeWriter();
      this.state = undefined;
      const writer = await stream.openWriter(this.partition);
      if (superseded()) return void (await writer.close());
      this.writer = writer;
      // The claim fences every earlier owner: from here on, nothing they append counts.
      const claim = await writer.append([{ key: '', value: JSON.stringify({ type: 'claim', owner: this.deps.owner } satisfies LogRecord) }]);
      const { start } = await stream.bounds(this.partition);
      const end = claim + 1;
      const replayStarted = Date.now();
      let lastReport = replayStarted;
      const { state: recovered, skipped, snapshot } = await recoverState(
        { ...this.deps, partition: this.partition },
        {
          start,
          end,
          useSnapshots: !this.wholeLog,
          onReplay: (from, total) => {
            this.stats.replay = { done: 0, total };
            logger.log(`${label}: claimed at offset ${claim}; replaying offsets ${from}..${claim} (${total} to do)`);
          },
          onProgress: (done) => {
            if (generation !== this.generation) throw new Error('recovery superseded');
            this.stats.replay.done = done;
            if (Date.now() - lastReport < 1_000) return;
            lastReport = Date.now();
            logger.log(`${label}: replayed ${done}/${this.stats.replay.total}`);
          },
        },
      );
      this.fromSnapshot = snapshot !== undefined;
      if (snapshot) this.stats.lastSnapshotOffset = snapshot.lastOffset;
      if (superseded()) return;
      if (recovered.claim !== claim) throw new Error(`${label}: replay ended under claim ${recovered.claim}, not this owner's claim at ${claim}`);
      this.appends = new OwnAppends(claim, label, async (gapFrom, gapTo) => {
        const gap: StreamRecord[] = [];
        await stream.read(this.partition, gapFrom, gapTo, (records) => void gap.push(...records));
        return gap;
      });
      // Outboxes an earlier owner may not have sent go out again before anything new; receivers drop repeats by origin.
      if (recovered.unsent.length > 0) await writer.send(this.outboxMessages(recovered.unsent));
      if (superseded()) return;
      this.sentThrough = claim;
      this.lastCheckpoint = undefined;
      this.delivering = Promise.resolve();
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
      this.wholeLog = false;
      this.startTimers(generation);
      const now = Date.now();
      const ignored = skipped > 0 ? `, ${skipped} written under superseded claims ignored` : '';
      logger.log(
        `${label}: serving after ${now - started} ms (${this.stats.replay.total} events replayed in ${now - replayStarted} ms${ignored}, hash ${recovered.hash().slice(0, 12)})`,
      );
    } catch (error) {
      if (!superseded()) this.failed(error, generation);
    }
  }

  /**
   * Drops the partition's memory after a failed commit or recovery. Taking it up again means fencing
   * whoever writes it now, so that waits until the group confirms the partition is still ours: a paused
   * or cut-off owner learns of its revocation first and never fences the new owner back.
   */
  private failed(error: unknown, generation: number): void {
    if (generation !== this.generation || this.phase === 'fenced' || this.phase === 'failed' || this.phase === 'diverged' || this.phase === 'released') return;
    const message = error instanceof Error ? error.message : String(error);
    this.state = undefined;
    this.stopTimers();
    void this.closeWriter();
    this.forgetUncommitted();
    this.stats.error = message;
    const label = `${this.deps.stream.name}[${this.partition}]`;
    // Another replay of the same log would diverge the same way: stop, and say so loudly, rather than serve it.
    // A snapshot may be what is wrong, though: the whole log gets one chance first.
    if ((error instanceof DivergedError || error instanceof DesyncError) && this.fromSnapshot && !this.wholeLog) {
      this.wholeLog = true;
      this.deps.logger.warn(`${label}: ${message}; replaying the whole log without a snapshot`);
      this.start();
      return;
    }
    if (error instanceof DivergedError || error instanceof DesyncError) {
      this.phase = 'diverged';
      this.deps.logger.error(`${label}: DIVERGED, not serving this partition: ${message}`);
      return;
    }
    this.phase = error instanceof WriterFencedError ? 'fenced' : 'failed';
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

  /** `forSnapshot`: the batch a snapshot is taken after, which ends on a checkpoint (alone, if nothing else is due). */
  private async commitBatch(envelopes: ReceivedEnvelope[], forSnapshot = false): Promise<boolean> {
    const state = this.state!;
    const writer = this.writer!;
    const appends = this.appends!;
    const generation = this.generation;
    // Memory now holds decisions that did not count: nothing may snapshot or checkpoint it, even when the failure
    // comes after a release or a newer recovery and `failed` leaves it alone.
    const abandon = (error: unknown): false => {
      if (this.state === state) this.state = undefined;
      this.failed(error, generation);
      return false;
    };
    let writes: ReturnType<typeof decideBatch>;
    try {
      writes = decideBatch(this.deps.domain, state, envelopes);
    } catch (error) {
      // A domain that throws has left this memory half-folded: drop it and recover, like a failed commit.
      return abandon(error);
    }
    // Each already refused `internal_error` (and logged, so never read again): the partition keeps serving.
    for (const { commandId, aggregateId, error } of writes.failures) {
      this.deps.logger.error(`${this.deps.stream.name}[${this.partition}]: decide threw on ${commandId} for ${aggregateId}: ${(error as Error)?.stack ?? String(error)}`);
    }
    const records: { key: string; record: LogRecord }[] = [];
    if (state.unsent.length > 0 && state.unsent[0].offset <= this.sentThrough) {
      records.push({ key: '', record: { type: 'outbox-sent', claim: state.claim, through: this.sentThrough } });
    }
    records.push(...writes.records);
    this.recordsSinceCheckpoint += writes.records.length;
    // Taken on a checkpoint, a snapshot can be checked against the log by whoever loads it.
    const snapshotDue = !forSnapshot && this.countTowardSnapshot(writes.records) && !this.snapshotInFlight;
    const checkpointedAlready = records.length === 0 && this.lastCheckpoint?.offset === state.lastOffset;
    if (this.recordsSinceCheckpoint >= this.deps.options.checkpointEveryRecords || snapshotDue || (forSnapshot && !checkpointedAlready)) {
      records.push({ key: '', record: { type: 'checkpoint', claim: state.claim, stateHash: state.hash(), id: randomBytes(16).toString('base64url') } });
      this.recordsSinceCheckpoint = 0;
    }
    const started = performance.now();
    try {
      const replies = await this.deliverable(writes.replies);
      const publishesChanges = await this.publishingChanges();
      const outbox: UnsentOutbox[] = [];
      if (records.length > 0) {
        const appended = records.map(({ key, record }) => ({ key, value: JSON.stringify(record) }));
        const first = await writer.append(appended);
        await withTimeout(this.deps.options.commitTimeoutMs, 'checking the batch counts', appends.counted(first, first + records.length - 1));
        records.forEach(({ record }, index) => {
          state.written(record, first + index);
          if (record.type === 'checkpoint') this.lastCheckpoint = { offset: first + index, text: appended[index].value };
          if (record.type === 'outcome' && record.outbox) outbox.push({ offset: first + index, outbox: record.outbox });
        });
      }
      const messages: SideMessage[] = [...this.outboxMessages(outbox), ...replyMessages(replies), ...(publishesChanges ? this.changeMessages(records) : [])];
      // The batch counts: the next one may be decided while these go out, after the ones before them.
      const through = state.lastOffset;
      this.delivering = this.delivering
        .then(() => (messages.length > 0 ? writer.send(messages) : undefined))
        .then(() => {
          this.sentThrough = Math.max(this.sentThrough, through);
          this.stats.lastCommitMs = performance.now() - started;
          this.stats.commitMs.add(this.stats.lastCommitMs);
        });
      this.delivering.catch((error: unknown) => this.failed(error, generation));
    } catch (error) {
      return abandon(error);
    }
    if (!forSnapshot) this.stats.lastBatchSize = envelopes.length;
    this.stats.commandsCommitted += envelopes.length;
    if (snapshotDue) void this.snapshot();
    return true;
  }

  /** Counts a batch's records toward the next snapshot: whether it is due after them, by the domain's own measure when it has one. */
  private countTowardSnapshot(records: { record: LogRecord }[]): boolean {
    this.recordsSinceSnapshot += records.length;
    const every = this.deps.domain.snapshotEvery;
    if (!every) return this.recordsSinceSnapshot >= this.deps.options.snapshotEveryRecords;
    for (const { record } of records) {
      if (record.type === 'outcome') for (const event of record.events) if (every.counts(event)) this.eventsSinceSnapshot++;
    }
    return this.eventsSinceSnapshot >= every.events;
  }

  /**
   * Whether views of changes go out: the domain has a view and its changes topic exists (a missing one would fail
   * every send). Asked before the append, so a failure to find out costs the batch nothing that is already logged.
   */
  private async publishingChanges(): Promise<boolean> {
    const { domain, changesTopic, stream, logger } = this.deps;
    if (!domain.view) return false;
    if (this.publishesChanges === undefined) {
      this.publishesChanges = (await stream.partitionCount(changesTopic)) > 0;
      if (!this.publishesChanges) logger.warn(`${stream.name}[${this.partition}]: ${changesTopic} does not exist; changes are not published`);
    }
    return this.publishesChanges;
  }

  /** Views of what the batch changed. */
  private changeMessages(records: { record: LogRecord }[]): SideMessage[] {
    const { domain, changesTopic } = this.deps;
    const state = this.state!;
    return changeMessages(changesTopic, records.map(({ record }) => record), (aggregateId, events) => domain.view!(aggregateId, state.aggregate(aggregateId), events));
  }

  private outboxMessages(unsent: readonly UnsentOutbox[]): SideMessage[] {
    return outboxMessages(`${this.deps.stream.name}#${this.partition}`, unsent, this.deps.commandsTopic);
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
        if (this.recordsSinceSnapshot > 0 && Date.now() - this.lastSnapshotAt >= this.deps.options.snapshotEveryMs) void this.snapshot();
        // When commands stop, the log still learns that the last outboxes went out, so a next owner need not resend them.
        const unsent = this.state?.unsent[0];
        if (unsent && unsent.offset <= this.sentThrough && !this.draining) void this.enqueue([]);
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

  /**
   * Snapshots off the hot path: the image is taken between two batches (so it holds only records that count),
   * then written out in slices and saved in the background.
   */
  private snapshot(): Promise<void> {
    if (!this.state || this.snapshotInFlight) return this.snapshotInFlight ?? Promise.resolve();
    const { snapshots, stream, domain, options, logger } = this.deps;
    this.recordsSinceSnapshot = 0;
    this.eventsSinceSnapshot = 0;
    this.lastSnapshotAt = Date.now();
    const label = `${stream.name}[${this.partition}]`;
    const taken = this.lane.then(async () => {
      if (this.state) await this.commitBatch([], true);
      return this.state && { image: this.state.image(), checkpoint: this.lastCheckpoint };
    });
    this.lane = taken.catch(() => undefined);
    this.snapshotInFlight = taken
      .then(async (taken) => {
        if (!taken) return;
        const { image, checkpoint } = taken;
        // Taken right after a checkpoint was appended (commitBatch above), so this holds unless that batch failed.
        if (checkpoint?.offset !== image.lastOffset) return;
        const { text, stateHash } = await snapshotText(image);
        const snapshot = {
          stream: stream.name,
          partition: this.partition,
          lastOffset: image.lastOffset,
          schemaVersion: domain.schemaVersion,
          stateHash,
          state: text,
          checkpoint: checkpoint.text,
        };
        try {
          await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.save(snapshot));
        } catch (error) {
          // Serving goes on: a missing snapshot costs replay time, never data.
          this.recordsSinceSnapshot = Math.max(this.recordsSinceSnapshot, 1);
          return logger.warn(`${label}: snapshot at ${image.lastOffset} failed: ${(error as Error).message}`);
        }
        this.stats.lastSnapshotOffset = image.lastOffset;
        await withTimeout(options.snapshotStoreTimeoutMs, 'snapshot store', snapshots.prune(stream.name, this.partition, options.snapshotsKept)).catch(
          (error: unknown) => logger.warn(`${label}: pruning old snapshots failed: ${(error as Error).message}`),
        );
      })
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
    await this.delivering.catch(() => undefined);
    if (takeSnapshot && wasServing && this.state) {
      // The last batch may have started a snapshot: it needs the state until its image is taken.
      const timeout = this.deps.options.stopSnapshotTimeoutMs;
      await atMost(timeout, this.snapshotInFlight ?? Promise.resolve());
      if (this.recordsSinceSnapshot > 0) await atMost(timeout, this.snapshot());
    }
    this.state = undefined;
    await this.closeWriter();
  }

  private async closeWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    this.appends = undefined;
    await writer?.close().catch(() => undefined);
  }
}
