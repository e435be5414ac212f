import { engineErrorKind } from '../errors/engine-errors';
import { INVALID_PAYLOAD } from '../partition/decide-batch';
import { parseEnvelope, readEnvelope } from '../partition/parse-envelope';
import { ReceivedEnvelope } from '../partition/records';
import { InboundCommand } from '../ports/command-feed';
import { DirectAnswer, DirectCommand } from './direct-command';
import { PartitionMessages } from './partition-messages';
import { PartitionStats } from './partition-stats';
import { PartitionPhase, PartitionStatus } from './partition-status';
import { recoverPartition } from './recover-partition';
import { atMost } from './time-limits';
import { partitionLabel, RunnerDeps } from './runner-deps';
import { ServingPartition } from './serving-partition';

/**
 * Where one partition stands. Only a serving partition has memory, a writer and counters, all in its
 * `ServingPartition`; `error` is the last failure, kept for the status until serving again.
 */
type Phase<S> =
  | { phase: 'recovering'; error?: string; closeWriter?: () => Promise<void> }
  | { phase: 'serving'; serving: ServingPartition<S> }
  | { phase: 'fenced' | 'failed' | 'diverged'; error: string }
  | { phase: 'released'; error?: string };

/**
 * Hosts one owned partition: claims it in the log (fencing earlier owners), recovers (snapshot + replay up to the
 * claim), then hands the commands it receives to the serving ownership in batches. A failure ends that ownership;
 * the next one starts from the log.
 */
export class PartitionRunner<S> {
  private phase: Phase<S> = { phase: 'recovering' };
  /** The end of the batches and sends of every ownership dropped after a failure. */
  private dropped: Promise<void> = Promise.resolve();
  /** Counts recoveries and releases: whatever belongs to an older one is ignored. */
  private generation = 0;
  /** A snapshot disagreed with the log: recover from the whole log until serving again (see `failed`). */
  private wholeLog = false;
  private readonly stats = new PartitionStats();
  private readonly messages: PartitionMessages<S>;
  /** Commands received (from the feed, or sent straight here) and not yet handed to a batch, oldest first. */
  private inbox: (InboundCommand | DirectCommand)[] = [];
  /** Commands in the partition not fetched yet, as of the last delivery, and the ones in the batch being committed. */
  private unfetched = 0;
  private committing = 0;
  private draining = false;
  private drainQueued = false;
  private resume?: () => void;

  constructor(
    readonly partition: number,
    private readonly deps: RunnerDeps<S>,
  ) {
    this.messages = new PartitionMessages(deps, partition);
  }

  get currentPhase(): PartitionPhase {
    return this.phase.phase;
  }

  private get serving(): ServingPartition<S> | undefined {
    return this.phase.phase === 'serving' ? this.phase.serving : undefined;
  }

  private get error(): string | undefined {
    return this.phase.phase === 'serving' ? undefined : this.phase.error;
  }

  status(): PartitionStatus {
    const { stats, serving } = this;
    return {
      partition: this.partition,
      phase: this.phase.phase,
      replay: { ...stats.replay },
      lastOffset: serving?.lastOffset ?? -1,
      lastSnapshotOffset: stats.lastSnapshotOffset,
      lag: this.unfetched + this.inbox.length + this.committing,
      lastBatchSize: stats.lastBatchSize,
      lastCommitMs: stats.lastCommitMs,
      commitP50Ms: stats.commitMs.percentile(0.5),
      commitP99Ms: stats.commitMs.percentile(0.99),
      commandsCommitted: stats.commandsCommitted,
      stages: stats.stages(),
      aggregates: serving?.aggregates ?? 0,
      error: this.error,
    };
  }

  /** Hash and offset of the state in memory, for checks against an independent fold of the log. */
  fingerprint(): { hash: string; lastOffset: number } | undefined {
    return this.serving?.fingerprint();
  }

  /** Fences, recovers and starts serving; on failure retries until released or fenced. `lastError` stays in the status until then. */
  start(lastError = this.error): void {
    const generation = ++this.generation;
    const recovering: Phase<S> & { phase: 'recovering' } = { phase: 'recovering', error: lastError };
    this.phase = recovering;
    void this.recover(generation, recovering);
  }

  private async recover(generation: number, recovering: Phase<S> & { phase: 'recovering' }): Promise<void> {
    // A failure (or being fenced) on the way ends this recovery as surely as a newer one does.
    const superseded = () => generation !== this.generation || this.phase !== recovering;
    let fromSnapshot = false;
    try {
      const attempt = {
        wholeLog: this.wholeLog,
        superseded,
        opened: (close: () => Promise<void>) => (recovering.closeWriter = close),
        replaying: (snapshot: boolean) => (fromSnapshot = snapshot),
      };
      const recovered = await recoverPartition(this.deps, this.partition, attempt, this.stats, this.messages);
      if (!recovered) return;
      if (superseded()) return void (await recovered.close());
      const serving: ServingPartition<S> = new ServingPartition(recovered, {
        deps: this.deps,
        partition: this.partition,
        stats: this.stats,
        messages: this.messages,
        draining: () => this.draining,
        failed: (error) => this.failed(error, generation, serving.fromSnapshot),
      });
      // Commands resume right after the last one whose outcome is in the log; whatever the feed
      // delivered before this point came from its own idea of the position and is dropped.
      this.forgetUncommitted();
      this.deps.rewind(recovered.state.consumedOffset + 1);
      this.phase = { phase: 'serving', serving };
      this.wholeLog = false;
      serving.startTimers();
    } catch (error) {
      // Whether this very attempt replayed from a snapshot, not an earlier one: see `failed`.
      if (!superseded()) this.failed(error, generation, fromSnapshot);
    }
  }

  /**
   * Drops the partition's memory after a failed commit or recovery. Taking it up again means fencing
   * whoever writes it now, so that waits until the group confirms the partition is still ours: a paused
   * or cut-off owner learns of its revocation first and never fences the new owner back.
   * `fromSnapshot`: whether the memory that failed was recovered from a snapshot.
   */
  private failed(error: unknown, generation: number, fromSnapshot: boolean): void {
    const { phase } = this.phase;
    if (generation !== this.generation || (phase !== 'recovering' && phase !== 'serving')) return;
    const message = error instanceof Error ? error.message : String(error);
    if (this.serving) {
      const dropping = this.serving.drop();
      this.dropped = Promise.all([this.dropped, dropping]).then(() => undefined);
    }
    if (this.phase.phase === 'recovering') void this.phase.closeWriter?.();
    this.forgetUncommitted();
    const label = partitionLabel(this.deps, this.partition);
    const kind = engineErrorKind(error);
    // Another replay of the same log would diverge the same way: stop, and say so loudly, rather than serve it.
    // A snapshot may be what is wrong, though: the whole log gets one chance first.
    if (kind === 'diverged' && fromSnapshot && !this.wholeLog) {
      this.wholeLog = true;
      this.deps.logger.warn(`${label}: ${message}; replaying the whole log without a snapshot`, { partition: this.partition });
      this.start(message);
      return;
    }
    if (kind === 'diverged') {
      this.phase = { phase: 'diverged', error: message };
      this.deps.logger.error(`${label}: DIVERGED, not serving this partition: ${message}`, { partition: this.partition });
      return;
    }
    const fenced = kind === 'fenced';
    this.phase = { phase: fenced ? 'fenced' : 'failed', error: message };
    if (fenced) this.deps.logger.warn(`${label}: fenced, waiting for the group: ${message}`, { partition: this.partition });
    else this.deps.logger.error(`${label}: ${message}; recovering again once the group confirms ownership`, { partition: this.partition });
    void this.deps.stillOwned().then((owned) => {
      const waiting = this.phase.phase === 'fenced' || this.phase.phase === 'failed';
      if (owned && waiting && generation === this.generation) this.start();
    });
  }

  /**
   * Takes one delivery of commands. They wait in the inbox while recovery runs or a commit is in flight,
   * then go out in batches; a long inbox pauses the partition's feed until it drains.
   */
  receive(commands: InboundCommand[], pause: () => () => void, unfetched: number): void {
    this.unfetched = unfetched;
    if (this.phase.phase === 'released' || commands.length === 0) return;
    this.inbox.push(...commands);
    if (!this.resume && this.inbox.length >= this.inboxLimit) this.resume = pause();
    void this.drain();
  }

  /**
   * Takes a command sent straight to this owner (not through the commands topic) and resolves with what it came to.
   * Only a serving partition takes one, and only while its inbox is not full: the sender resends elsewhere or later.
   */
  submit(raw: unknown): Promise<DirectAnswer> {
    const label = partitionLabel(this.deps, this.partition);
    if (!this.serving) return Promise.resolve({ kind: 'resend', reason: `${label} is ${this.phase.phase} here` });
    if (this.inbox.length >= this.inboxLimit) return Promise.resolve({ kind: 'busy', reason: `${label} has ${this.inbox.length} commands waiting` });
    const parsed = readEnvelope(raw);
    if ('error' in parsed) {
      return Promise.resolve({
        kind: 'outcome',
        outcome: { ok: false, rejection: { code: INVALID_PAYLOAD, message: `not a command envelope: ${parsed.error}` } },
      });
    }
    // Its answer goes back on the connection it came on; outbox origins are for commands between partitions only.
    const { replyTo: _replyTo, origin: _origin, ...envelope } = parsed;
    const command = new DirectCommand(envelope);
    this.inbox.push(command);
    // Drained after the current turn's other commands arrived (a link delivers many per read): one batch, one append.
    if (!this.drainQueued) {
      this.drainQueued = true;
      queueMicrotask(() => {
        this.drainQueued = false;
        void this.drain();
      });
    }
    return command.answered;
  }

  /** Past this many waiting commands the feed pauses and commands sent straight here are answered `busy`. */
  private get inboxLimit(): number {
    return 4 * this.deps.options.maxBatchSize;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let serving = this.serving; serving && this.inbox.length > 0; serving = this.serving) {
        const chunk = this.inbox.splice(0, this.deps.options.maxBatchSize);
        if (this.resume && this.inbox.length < this.deps.options.maxBatchSize) {
          this.resume();
          this.resume = undefined;
        }
        this.committing = chunk.length;
        const now = performance.now();
        for (const item of chunk) if (item instanceof DirectCommand) this.stats.stageMs.queue.add(now - item.receivedAt);
        // enqueue settles every failure itself; should one escape, the chunk's senders still hear (below).
        const committed = await serving.enqueue(this.envelopes(chunk)).catch(() => false);
        this.committing = 0;
        // A command the batch did not answer (it failed, or dropped the command) must still hear something.
        resendUnanswered(chunk, 'its batch did not commit here');
        if (!committed) break;
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Drops what was received but not committed: recovery rewinds the feed to the position in the log, and whoever sent
   * a command straight here is told to send it again.
   */
  private forgetUncommitted(): void {
    resendUnanswered(this.inbox, `${partitionLabel(this.deps, this.partition)} moved or is recovering`);
    this.inbox = [];
    this.resume?.();
    this.resume = undefined;
  }

  private envelopes(chunk: (InboundCommand | DirectCommand)[]): ReceivedEnvelope[] {
    const envelopes: ReceivedEnvelope[] = [];
    for (const item of chunk) {
      if (item instanceof DirectCommand) {
        envelopes.push(item.envelope);
        continue;
      }
      const { offset, value } = item;
      const parsed = parseEnvelope(value);
      if ('error' in parsed) {
        this.deps.logger.warn(`${partitionLabel(this.deps, this.partition)}: dropping command at offset ${offset}: ${parsed.error}`, {
          partition: this.partition,
        });
      } else {
        envelopes.push({ ...parsed, offset });
      }
    }
    return envelopes;
  }

  /**
   * Ends this ownership's work before the group is left, for `release` to finish: a serving partition ends its batches
   * and takes the image its stop snapshot saves (see `ServingPartition.quiesce`); a recovery is abandoned and its writer
   * closed, so it claims nothing after. From now on a failure starts no recovery.
   */
  async quiesce(): Promise<void> {
    this.generation++;
    if (this.phase.phase === 'serving') return this.phase.serving.quiesce(true);
    if (this.phase.phase === 'recovering') {
      const { closeWriter } = this.phase;
      this.phase = { phase: 'released', error: this.error };
      await closeWriter?.();
    }
  }

  /** Lets the partition go: finish the batch in flight, snapshot if serving, close the writer. */
  async release(takeSnapshot: boolean): Promise<void> {
    const previous = this.phase;
    this.generation++;
    this.phase = { phase: 'released', error: this.error };
    this.forgetUncommitted();
    if (previous.phase === 'serving') await previous.serving.release(takeSnapshot);
    if (previous.phase === 'recovering') await previous.closeWriter?.();
    // An ownership dropped after a failure may still be appending or sending (on a closed writer, so it ends in
    // the client's own timeouts): the stop waits for it too, as long as a commit may take.
    await atMost(this.deps.options.commitTimeoutMs, this.dropped);
  }
}

function resendUnanswered(items: readonly (InboundCommand | DirectCommand)[], reason: string): void {
  for (const item of items) if (item instanceof DirectCommand) item.answer({ kind: 'resend', reason });
}
