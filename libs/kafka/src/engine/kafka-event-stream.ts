import { Admin, CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { EventAppend, EventStream, PartitionWriter, SideMessage, StreamRecord } from '@app/engine';
import { partitionOfKey } from '../partition-of-key';
import { TopicPartitionCounts } from '../topic-partition-counts';
import { PartitionFetch } from './partition-fetch';
import { SpareProducers } from './spare-producers';
import { unwrittenPartitions } from './unwritten-partitions';

export interface KafkaEventStreamOptions {
  kafka: Kafka;
  admin: Admin;
  eventsTopic: string;
  /** Bytes one fetch may return per partition; reads longer than this take several fetches. */
  readFetchBytes?: number;
}

/** Event-stream port on Kafka: idempotent writers that fence no one, and reads fetched from the partition leader. */
export class KafkaEventStream implements EventStream {
  readonly name: string;

  private fetch?: PartitionFetch;
  private readonly spares = new SpareProducers(() => this.connectProducers());
  private readonly partitionCounts: TopicPartitionCounts;

  constructor(private readonly options: KafkaEventStreamOptions) {
    this.name = options.eventsTopic;
    this.partitionCounts = new TopicPartitionCounts(options.admin);
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    const [appends, sends] = await this.spares.take();
    return new KafkaPartitionWriter({ appends, sends }, this.options.eventsTopic, partition, (topic) => this.partitionCount(topic));
  }

  prepareWriters(count: number): void {
    this.spares.keep(count);
  }

  close(): Promise<void> {
    return this.spares.close();
  }

  /** Two producers: with one request in flight each, an append never queues behind the last batch's replies. */
  private async connectProducers(): Promise<Producer[]> {
    const producers = [this.producer(), this.producer()];
    try {
      await Promise.all(producers.map((producer) => producer.connect()));
    } catch (error) {
      await Promise.all(producers.map((producer) => producer.disconnect().catch(() => undefined)));
      throw error;
    }
    return producers;
  }

  private producer(): Producer {
    return this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded (kafkajs retries an idempotent producer forever by default): a writer that cannot get
      // through fails, and the engine recovers with a new one, instead of hanging the partition.
      retry: { retries: 5 },
    });
  }

  /**
   * Partitions of a topic, cached; 0 for a topic this stream cannot send to (a reply address comes from a command).
   * A failure to find out is thrown: taken for a missing topic, it would drop replies and turn off the change feed.
   */
  partitionCount(topic: string): Promise<number> {
    return this.partitionCounts.of(topic);
  }

  bounds(partition: number): Promise<{ start: number; end: number }> {
    return this.partitionFetch().bounds(partition);
  }

  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    return this.partitionFetch().read(partition, from, to, onRecords);
  }

  private partitionFetch(): PartitionFetch {
    this.fetch ??= new PartitionFetch(this.options.kafka, this.options.eventsTopic, this.options.readFetchBytes ?? 16 * 1024 * 1024);
    return this.fetch;
  }
}

/**
 * Two idempotent producers per writer, one per lane (appends, sends), and calls run one at a time per lane:
 * kafkajs lets concurrent requests reach the broker in any order (each looks up metadata before it queues),
 * and a failed request gives its sequence numbers back to whichever goes next.
 */
class KafkaPartitionWriter implements PartitionWriter {
  private failure?: Error;
  private readonly lanes = { append: Promise.resolve(), send: Promise.resolve() };

  constructor(
    private readonly producers: { appends: Producer; sends: Producer },
    private readonly eventsTopic: string,
    private readonly partition: number,
    private readonly partitionCount: (topic: string) => Promise<number>,
  ) {}

  append(records: EventAppend[]): Promise<number> {
    return this.enqueue('append', async () => {
      if (records.length === 0) throw new Error('an append needs at least one record');
      const messages = records.map(({ key, value }) => ({ key, value, partition: this.partition }));
      // One request, so one record batch: its records get consecutive offsets.
      const metadata = await this.producers.appends.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [{ topic: this.eventsTopic, messages }],
      });
      const own = metadata.find((entry) => entry.topicName === this.eventsTopic && entry.partition === this.partition);
      if (own?.baseOffset === undefined) throw new Error(`no offset for the append to ${this.eventsTopic}[${this.partition}]`);
      return Number(own.baseOffset);
    });
  }

  send(messages: SideMessage[]): Promise<void> {
    return this.enqueue('send', async () => {
      const byTopic = new Map<string, SideMessage[]>();
      for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
      const topicMessages: { topic: string; messages: (Message & { partition: number })[] }[] = [];
      for (const [topic, list] of byTopic) {
        // Appends alone write the events topic: their offsets prove an owner's records contiguous.
        if (topic === this.eventsTopic) throw new Error(`${topic} takes appends, not sends`);
        // kafkajs silently drops a message for a partition the topic does not have (and creates missing topics).
        const count = await this.partitionCount(topic);
        const astray = list.find(
          ({ partition }) => count === 0 || (partition !== undefined && !(Number.isInteger(partition) && partition >= 0 && partition < count)),
        );
        if (astray) throw new Error(`${topic} has no partition ${astray.partition ?? 'at all'}`);
        // Each partition named (the producer's own partitioner picks the same), so the answer can be checked below.
        topicMessages.push({ topic, messages: list.map(({ partition, key, value }) => ({ partition: partition ?? partitionOfKey(key, count), key, value })) });
      }
      if (topicMessages.length === 0) return;
      const written = await this.producers.sends.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages });
      // A send that skipped a partition fails the writer: its batches' sends go out again, in order, after recovery.
      const unwritten = unwrittenPartitions(topicMessages, written);
      if (unwritten.length > 0) throw new Error(`kafkajs answered a send without writing to ${unwritten.join(', ')} (a leader moved during the send)`);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error(`writer of ${this.eventsTopic}[${this.partition}] is closed`);
    await Promise.all([this.producers.appends.disconnect(), this.producers.sends.disconnect()]);
  }

  /**
   * After a failed produce kafkajs takes its sequence numbers back, and the broker would take the next
   * request for a duplicate of the failed one if that was stored after all: a writer that failed is done.
   */
  private enqueue<T>(lane: 'append' | 'send', work: () => Promise<T>): Promise<T> {
    const result = this.lanes[lane].then(async () => {
      if (this.failure) throw this.failure;
      try {
        return await work();
      } catch (error) {
        this.failure ??= new Error(`writer of ${this.eventsTopic}[${this.partition}] failed and is unusable: ${(error as Error).message}`, { cause: error });
        throw this.failure;
      }
    });
    this.lanes[lane] = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
