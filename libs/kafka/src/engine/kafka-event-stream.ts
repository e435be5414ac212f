import { randomBytes } from 'node:crypto';
import { Admin, CompressionTypes, Kafka, KafkaJSProtocolError, Partitioners, Producer } from 'kafkajs';
import { EventStream, PartitionCommit, PartitionWriter, StreamRecord, WriterFencedError } from '@app/engine';
import { singlePartitionAssigner } from './single-partition-assigner';

export interface KafkaEventStreamOptions {
  kafka: Kafka;
  admin: Admin;
  eventsTopic: string;
  /** Prefix of transactional ids; one id per partition, so a new owner's writer fences the old one. */
  transactionalIdPrefix?: string;
  transactionTimeoutMs?: number;
  /** Bytes one replay fetch may return per partition; replays longer than this take several fetches. */
  readFetchBytes?: number;
}

const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

function isFencing(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof KafkaJSProtocolError && FENCING_ERRORS.has(cause.type)) return true;
    if (cause instanceof Error && /INVALID_PRODUCER_EPOCH|old epoch|fenced/i.test(cause.message)) return true;
  }
  return false;
}

/** Event-stream port on Kafka: transactional writers per partition, read_committed readers. */
export class KafkaEventStream implements EventStream {
  readonly name: string;

  constructor(private readonly options: KafkaEventStreamOptions) {
    this.name = options.eventsTopic;
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    const { kafka, eventsTopic, transactionalIdPrefix = '', transactionTimeoutMs = 15_000 } = this.options;
    const producer = kafka.producer({
      transactionalId: `${transactionalIdPrefix}${eventsTopic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: transactionTimeoutMs,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Back-to-back transactions meet CONCURRENT_TRANSACTIONS while the last one's markers land: retry fast.
      retry: { initialRetryTime: 3, maxRetryTime: 1000, retries: 12 },
    });
    await producer.connect();
    // kafkajs registers the transactional id lazily, at the first transaction: do it now. It bumps the
    // epoch, aborts (and waits out) what an earlier writer left open, and fences that writer from here on.
    try {
      const fence = await producer.transaction();
      await fence.abort();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return new KafkaPartitionWriter(producer, partition, this.options, (topic) => this.partitionCount(topic));
  }

  private readonly partitionCounts = new Map<string, number>();

  /** Partitions of a topic, cached; 0 for a topic that does not exist. */
  async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    try {
      const { topics } = await this.options.admin.fetchTopicMetadata({ topics: [topic] });
      const count = topics[0]?.partitions.length ?? 0;
      if (count > 0) this.partitionCounts.set(topic, count);
      return count;
    } catch {
      return 0;
    }
  }

  async bounds(partition: number): Promise<{ start: number; end: number }> {
    const offsets = await this.options.admin.fetchTopicOffsets(this.options.eventsTopic);
    const entry = offsets.find((candidate) => candidate.partition === partition);
    if (!entry) throw new Error(`${this.options.eventsTopic} has no partition ${partition}`);
    return { start: Number(entry.low), end: Number(entry.high) };
  }

  async read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    if (from >= to) return;
    const { kafka, admin, eventsTopic } = this.options;
    // A private group, positioned by seek (admin.setOffsets runs a consumer that waits a full fetch timeout).
    const groupId = `${eventsTopic}.reader.${partition}.${randomBytes(6).toString('hex')}`;
    const consumer = kafka.consumer({
      groupId,
      partitionAssigners: [singlePartitionAssigner(eventsTopic, partition)],
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: this.options.readFetchBytes ?? 16 * 1024 * 1024,
      maxBytes: 2 * (this.options.readFetchBytes ?? 16 * 1024 * 1024),
      readUncommitted: false,
    });
    // Offsets name records absolutely, so a fetch is usable exactly when it starts at or before the
    // position: one that raced a seek (from the group's default position or an earlier seek) leaves a gap.
    let position = from;
    let failure: unknown;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const seekToPosition = () => consumer.seek({ topic: eventsTopic, partition, offset: String(position) });
    const continuesRead = (firstOffset: string | null) => firstOffset !== null && Number(firstOffset) <= position;
    const advance = (lastOffset: string) => {
      position = Math.max(position, Number(lastOffset) + 1);
      if (position >= to) finish();
    };
    // Batches of only control records (commit markers) never reach eachBatch, but still move the position.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.partition === partition && payload.batchSize === 0 && continuesRead(payload.firstOffset)) advance(payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      failure = payload.error;
      finish();
    });
    // Seek once the group exists (seek before run throws), and again after any rejoin.
    consumer.on(consumer.events.GROUP_JOIN, seekToPosition);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: eventsTopic });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (failure || position >= to) return;
          if (!continuesRead(batch.firstOffset())) return seekToPosition();
          const records: StreamRecord[] = [];
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            if (offset >= position && offset < to) records.push({ offset, value: message.value });
          }
          try {
            if (records.length > 0) await onRecords(records);
          } catch (error) {
            // The reader's own failure ends the read; thrown into kafkajs it would be retried.
            failure = error;
            return finish();
          }
          advance(batch.lastOffset());
        },
      });
      await finished;
      if (failure) throw failure;
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }
}

class KafkaPartitionWriter implements PartitionWriter {
  private broken?: Error;

  constructor(
    private readonly producer: Producer,
    private readonly partition: number,
    private readonly options: KafkaEventStreamOptions,
    private readonly partitionCount: (topic: string) => Promise<number>,
  ) {}

  async commit({ events, messages }: PartitionCommit): Promise<{ firstOffset: number | undefined }> {
    const { eventsTopic } = this.options;
    // After a failed produce kafkajs rewinds its sequence numbers, and the broker would take the next
    // commit for a duplicate of the aborted one: a failed writer is done.
    if (this.broken) throw this.broken;
    for (const { topic, partition } of messages) {
      // kafkajs silently drops a message for a partition the topic does not have.
      if (partition !== undefined && partition >= (await this.partitionCount(topic))) throw new Error(`${topic} has no partition ${partition}`);
    }
    const transaction = await this.producer.transaction();
    try {
      const byTopic = new Map<string, { key: string; value: string; partition?: number }[]>();
      if (events.length > 0) byTopic.set(eventsTopic, events.map((event) => ({ ...event, partition: this.partition })));
      for (const { topic, ...message } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
      const metadata = byTopic.size
        ? await transaction.sendBatch({
            acks: -1,
            compression: CompressionTypes.None,
            topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
          })
        : [];
      await transaction.commit();
      const own = metadata.find((entry) => entry.topicName === eventsTopic && entry.partition === this.partition);
      return { firstOffset: own ? Number(own.baseOffset) : undefined };
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      const message = (error as Error).message;
      this.broken = isFencing(error)
        ? new WriterFencedError(`writer of ${eventsTopic}[${this.partition}] was fenced: ${message}`)
        : new Error(`writer of ${eventsTopic}[${this.partition}] failed and is unusable: ${message}`, { cause: error });
      throw this.broken;
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

