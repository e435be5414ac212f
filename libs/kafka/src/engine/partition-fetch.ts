import { Kafka } from 'kafkajs';
import { StreamRecord } from '@app/engine';
import { FetchedPartition, KafkaCluster, kafkaCluster } from '../kafkajs-cluster';
import { retryRetriable } from '../retry-retriable';

/** kafkajs's own reading of a fetched partition, as its consumer applies it: no aborted transactions, no control records. */
interface FetchedBatch {
  messages: { offset: string; value: Buffer | null }[];
  isEmptyIncludingFiltered(): boolean;
  isEmptyDueToLogCompactedMessages(): boolean;
  lastOffset(): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Batch = require('kafkajs/src/consumer/batch') as new (topic: string, fetchedOffset: string, partition: FetchedPartition) => FetchedBatch;

const READ_COMMITTED = 1;
/** How long a fetch waits at the end of what is readable before it answers empty. */
const IDLE_FETCH_MS = 100;
const IDLE_CLOSE_MS = 1_000;
/** Tries of one fetch on retriable errors: about 20 s with retryRetriable's backoff (at most 2 s apart). */
const FETCH_ATTEMPTS = 14;

/**
 * Reads a partition by fetching from its leader directly, from any offset: no consumer group to join, seek and delete
 * for each read, which cost a recovery hundreds of milliseconds before its first record. Read committed, as the
 * consumers are.
 */
export class PartitionFetch {
  private readonly cluster: KafkaCluster;
  private connecting?: Promise<void>;
  /** After a failed fetch: the leader may have moved or come back, so the metadata is read again first. */
  private stale = false;
  private disconnecting: Promise<void> = Promise.resolve();
  private reading = 0;
  private idle?: NodeJS.Timeout;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly fetchBytes: number,
  ) {
    this.cluster = kafkaCluster(kafka, { isolationLevel: READ_COMMITTED });
  }

  /** Delivers the records `from <= offset < to` in order and without gaps; waits for those not readable yet. */
  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    return this.using(() => this.readRange(partition, from, to, onRecords));
  }

  /**
   * The partition's first offset and the offset its next record gets, asked of its leader on this connection: not on
   * the admin client, whose metadata any call for another topic replaces (kafkajs then fails to find the partition).
   */
  bounds(partition: number): Promise<{ start: number; end: number }> {
    const offsetOf = async (fromBeginning: boolean) => {
      const answers = await this.cluster.fetchTopicsOffset([{ topic: this.topic, fromBeginning, partitions: [{ partition }] }]);
      const offset = answers.find(({ topic }) => topic === this.topic)?.partitions.find((entry) => entry.partition === partition)?.offset;
      if (offset === undefined) throw new Error(`${this.topic} has no partition ${partition}`);
      return Number(offset);
    };
    return this.using(() =>
      this.onLeader(async () => {
        const [start, end] = await Promise.all([offsetOf(true), offsetOf(false)]);
        return { start, end };
      }),
    );
  }

  private async using<T>(work: () => Promise<T>): Promise<T> {
    this.reading++;
    clearTimeout(this.idle);
    try {
      return await work();
    } finally {
      // Reads come in bursts (a recovery, a proof); between bursts no connection is kept open for nothing.
      if (--this.reading === 0) this.idle = setTimeout(() => void this.close(), IDLE_CLOSE_MS).unref();
    }
  }

  private async readRange(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    let position = from;
    while (position < to) {
      const batch = new Batch(this.topic, String(position), await this.fetch(partition, position));
      const records: StreamRecord[] = [];
      for (const { offset, value } of batch.messages) {
        if (Number(offset) >= position && Number(offset) < to) records.push({ offset: Number(offset), value });
      }
      if (records.length > 0) await onRecords(records);
      // Nothing at the position yet (not written, or its transaction still open): the fetch waited, so ask again. Records
      // only below it (compaction took the one asked for) step past it, as kafkajs's consumer does.
      if (!batch.isEmptyIncludingFiltered()) position = Math.max(position, Number(batch.lastOffset()) + 1);
      else if (batch.isEmptyDueToLogCompactedMessages()) position++;
    }
  }

  private async close(): Promise<void> {
    if (this.reading > 0 || !this.connecting) return;
    this.connecting = undefined;
    this.disconnecting = this.cluster.disconnect().catch(() => undefined);
    await this.disconnecting;
  }

  private fetch(partition: number, offset: number): Promise<FetchedPartition> {
    return this.onLeader(async () => {
      const [leader] = Object.keys(this.cluster.findLeaderForPartitions(this.topic, [partition]));
      if (leader === undefined) throw new Error(`${this.topic} has no partition ${partition}`);
      const broker = await this.cluster.findBroker({ nodeId: leader });
      const { responses } = await broker.fetch({
        isolationLevel: READ_COMMITTED,
        maxWaitTime: IDLE_FETCH_MS,
        minBytes: 1,
        maxBytes: this.fetchBytes,
        topics: [{ topic: this.topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: this.fetchBytes }] }],
      });
      const fetched = responses[0]?.partitions[0];
      if (!fetched) throw new Error(`no answer for ${this.topic}[${partition}]`);
      return fetched;
    });
  }

  /** Asks the partition's leader, connected and with fresh metadata after a failure, tried again as a consumer would. */
  private onLeader<T>(ask: () => Promise<T>): Promise<T> {
    // Long enough to ride out a leader moving after its broker died (KRaft notices in 9 s), as a consumer would.
    return retryRetriable(async () => {
      try {
        await this.connected();
        if (this.stale) await this.cluster.refreshMetadata();
        this.stale = false;
        return await ask();
      } catch (error) {
        this.stale = true;
        throw error;
      }
    }, FETCH_ATTEMPTS);
  }

  private connected(): Promise<void> {
    // A read that starts while the idle close runs connects once that is done, not into a pool being emptied.
    this.connecting ??= this.disconnecting
      .then(() => this.cluster.connect())
      .then(() => this.cluster.addTargetTopic(this.topic))
      .catch((error: unknown) => {
        this.connecting = undefined;
        throw error;
      });
    return this.connecting;
  }
}
