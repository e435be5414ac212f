import { Batch, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { eventsTopicOf } from '@app/kafka';
import { PROJECTED_SERVICES, ProjectedService } from '../project-outcome';
import { REBUILD_ADVICE } from '../log-binding';
import { PartitionState, ProjectionStore } from '../postgres/projection-store';
import { LogCheck } from './log-check';

export interface EventsProjectorOptions {
  kafka: Kafka;
  store: ProjectionStore;
  topicPrefix: string;
  sessionTimeoutMs: number;
  /** Partitions projected at once (each batch is one transaction, so at most the database pool's size). */
  partitionsAtOnce: number;
  log: { log(message: string): void; warn(message: string): void; error(message: string): void };
}

/** The consumer group every analytics instance joins: it spreads the events partitions among them. */
export const analyticsGroupOf = (prefix: string) => `${prefix}analytics`;

/** Everything the projection reads: each projected service's events topic. */
export const projectedTopics = (prefix: string) => PROJECTED_SERVICES.map((service) => ({ service, topic: eventsTopicOf(prefix, service) }));

const RETRY_POSITIONS_MS = 1_000;
/** How long a fetch at the end of the logs waits for records, and so how long a stop may wait for that fetch. */
const STOP_FETCH_WAIT_MS = 500;

/**
 * Reads the events topics in the `<prefix>analytics` group and hands each batch to the projection store, one
 * transaction per batch. PostgreSQL holds the truth about positions: on every assignment the partitions are paused
 * until they are sought to the position stored there, and the group's own offset moves only after the transaction
 * committed (and is then never ahead of it). A batch that Kafka hands over twice, or to two instances during a
 * rebalance, is projected once: the store skips what its stored position says is done.
 */
export class EventsProjector {
  private consumer?: Consumer;
  private readonly topics: { service: ProjectedService; topic: string }[];
  /** Counts assignments: seeking after an older one is left to the newer. */
  private assignments = 0;
  private stopped = false;
  private projected = { records: 0, counted: 0, since: Date.now() };
  private progressTimer?: NodeJS.Timeout;
  private readonly logCheck: LogCheck;

  constructor(private readonly options: EventsProjectorOptions) {
    this.topics = projectedTopics(options.topicPrefix);
    this.logCheck = new LogCheck(options.kafka);
  }

  async start(): Promise<void> {
    const { kafka, topicPrefix, sessionTimeoutMs, partitionsAtOnce } = this.options;
    const consumer = kafka.consumer({
      groupId: analyticsGroupOf(topicPrefix),
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeoutMs / 3)),
      rebalanceTimeout: Math.max(sessionTimeoutMs, 30_000),
      // Leaving the group waits for the fetch in flight: an idle fetch waits this long (5 s by default) for records.
      maxWaitTimeInMs: STOP_FETCH_WAIT_MS,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.assigned(payload.memberAssignment));
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics.map(({ topic }) => topic), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitionsAtOnce,
      eachBatch: (payload) => this.project(payload),
    });
    this.progressTimer = setInterval(() => this.logProgress(), 60_000).unref();
  }

  /** Leaves the group once the batch in flight is done, so the partitions move to the other instances at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.progressTimer);
    this.logProgress();
    await this.consumer?.disconnect();
  }

  /** Pauses what was assigned at once (before anything is fetched), then seeks it to PostgreSQL's positions. */
  private assigned(assignment: Record<string, number[]>): void {
    const assignment_ = ++this.assignments;
    const partitions = Object.entries(assignment).map(([topic, numbers]) => ({ topic, partitions: numbers }));
    this.consumer!.pause(partitions);
    void this.seekToStoredPositions(assignment_, partitions);
  }

  /**
   * Seeks each assigned partition to its stored position and resumes it, once its log is shown to be the one that
   * position was read from. A partition stopped before, or whose log was replaced or lost records since, stays paused.
   */
  private async seekToStoredPositions(assignment: number, partitions: { topic: string; partitions: number[] }[]): Promise<void> {
    const current = () => !this.stopped && assignment === this.assignments;
    while (current()) {
      try {
        const stored = await this.options.store.partitions(partitions.map(({ topic }) => topic));
        const resumed: { topic: string; partitions: number[] }[] = [];
        for (const { topic, partitions: numbers } of partitions) {
          const going: number[] = [];
          for (const partition of numbers) {
            const state = stored.find((entry) => entry.topic === topic && entry.partition === partition);
            const stopped = state && (await this.stoppedReason(state));
            if (!current()) return;
            if (stopped) this.reportStopped(topic, partition, stopped);
            else {
              this.consumer!.seek({ topic, partition, offset: String(state?.position.nextOffset ?? 0) });
              going.push(partition);
            }
          }
          if (going.length > 0) resumed.push({ topic, partitions: going });
        }
        this.consumer!.resume(resumed);
        this.options.log.log(`projecting ${describe(resumed)} from the positions stored in PostgreSQL`);
        return;
      } catch (error) {
        this.options.log.warn(`reading the stored positions or the logs' bounds failed (${String(error)}); trying again in ${RETRY_POSITIONS_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_POSITIONS_MS).unref());
      }
    }
  }

  /** Why a partition must not be resumed: stopped before, or its log refutes its stored position (then stored as stopped). */
  private async stoppedReason(state: PartitionState): Promise<string | undefined> {
    if (state.stopped !== undefined) return state.stopped;
    const refuted = await this.logCheck.refutation(state.topic, state.partition, { nextOffset: state.position.nextOffset, last: state.last });
    if (refuted === undefined) return undefined;
    // Moved since it was read (another instance during a rebalance): the next assignment judges it again.
    if (!(await this.options.store.stop(state.topic, state.partition, state.position, refuted))) throw new Error(`${state.topic}[${state.partition}] moved on`);
    return refuted;
  }

  private reportStopped(topic: string, partition: number, reason: string): void {
    this.consumer!.pause([{ topic, partitions: [partition] }]);
    this.options.log.error(`${topic}[${partition}]: projection stopped: ${reason}; ${REBUILD_ADVICE}`);
  }

  private async project({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const service = this.topics.find((entry) => entry.topic === topic)!.service;
    const records = batch.messages.map((message) => ({ offset: Number(message.offset), timestamp: Number(message.timestamp), value: message.value }));
    // A failure (PostgreSQL away) is thrown to kafkajs, which fetches the batch again: nothing was resolved.
    const fetchedFrom = fetchedOffsetOf(batch) ?? records[0].offset;
    const result = await this.options.store.project(service, topic, partition, fetchedFrom, records);
    if (result.kind === 'stopped') return this.reportStopped(topic, partition, result.reason);
    if (result.kind === 'gap') {
      // Past the position because the consumer ran ahead, or because the log no longer starts before it (then seeking
      // back would only be answered out of range and reset here again, for ever).
      const state = { topic, partition, position: result.position };
      const stopped = await this.stoppedReason(state);
      if (stopped) return this.reportStopped(topic, partition, stopped);
      this.options.log.warn(`${topic}[${partition}]: fetched from ${fetchedFrom}, past the stored position ${result.position.nextOffset}; seeking back`);
      this.consumer!.seek({ topic, partition, offset: String(result.position.nextOffset) });
      return;
    }
    if (result.read === 0 && Number(batch.highWatermark) < result.position.nextOffset) {
      // As this fetch saw it, the log ends before what was projected from it: replaced (the consumer started it over
      // after an offset out of range), or only a fetch from before a rebalance. The partition's leader says which.
      const stopped = await this.stoppedReason({ topic, partition, position: result.position });
      if (stopped) return this.reportStopped(topic, partition, stopped);
    }
    if (result.malformed.length > 0)
      this.options.log.error(`${topic}[${partition}]: records that do not parse, not counted, at offsets ${result.malformed.join(', ')}`);
    this.projected.records += result.read;
    this.projected.counted += result.counted;
    if (result.refused) {
      // Stored up to the refused record, which stays unprojected: a newer version of the projection starts there.
      if (result.read > 0) resolveOffset(String(result.refused.offset - 1));
      this.consumer!.pause([{ topic, partitions: [partition] }]);
      this.options.log.error(
        `${topic}[${partition}]: projection stopped at offset ${result.refused.offset}: ${result.refused.reason}. Run a version of analytics that reads it; it resumes there`,
      );
      return;
    }
    // Committed in PostgreSQL: only now may the group's offset move past the batch.
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  private logProgress(): void {
    const { records, counted, since } = this.projected;
    if (records === 0) return;
    const seconds = (Date.now() - since) / 1000;
    this.options.log.log(`projected ${records} records (${counted} counted) in ${seconds.toFixed(0)} s, ${(records / seconds).toFixed(1)}/s`);
    this.projected = { records: 0, counted: 0, since: Date.now() };
  }
}

const describe = (partitions: { topic: string; partitions: number[] }[]) =>
  partitions.map(({ topic, partitions: numbers }) => `${topic}[${numbers.join(',')}]`).join(' ') || 'no partitions';

/**
 * The offset the batch's fetch asked for. kafkajs 2.2.4 keeps it on every batch but leaves it out of its types; unlike
 * the first message's offset, it tells a skipped range (a gap) from offsets that hold no record for us (control records).
 */
function fetchedOffsetOf(batch: Batch): number | undefined {
  const fetched = (batch as Batch & { fetchedOffset?: string }).fetchedOffset;
  return fetched === undefined ? undefined : Number(fetched);
}
