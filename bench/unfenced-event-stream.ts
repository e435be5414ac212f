import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { EventStream, PartitionCommit, PartitionWriter, StreamRecord } from '@app/engine';
import { singlePartitionAssigner } from '@app/kafka';

/**
 * Benchmark only: the engine's event stream with plain idempotent produces instead of transactions,
 * to price the transactions against DESIGN.md's fallback (log-based fencing).
 * - `unfenced` (BENCH_WRITER=unfenced): a commit is acknowledged once produced. Neither fenced nor
 *   atomic: it keeps none of the promises; it is the ceiling of any fencing scheme.
 * - `read-back` (BENCH_WRITER=read-back): a commit is acknowledged once a reader tailing the partition
 *   has seen it, as log-based fencing requires; without the claim records and epoch checks, so it is
 *   that scheme's best case.
 */
export class UnfencedEventStream implements EventStream {
  constructor(
    private readonly inner: EventStream,
    private readonly kafka: Kafka,
    private readonly readBack: boolean,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const tail = this.readBack ? await Tail.open(this.kafka, this.inner.name, partition, (await this.inner.bounds(partition)).end) : undefined;
    return new PlainWriter(producer, this.inner.name, partition, tail);
  }

  bounds(partition: number): Promise<{ start: number; end: number }> {
    return this.inner.bounds(partition);
  }

  partitionCount(topic: string): Promise<number> {
    return this.inner.partitionCount(topic);
  }

  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    return this.inner.read(partition, from, to, onRecords);
  }
}

class PlainWriter implements PartitionWriter {
  constructor(
    private readonly producer: Producer,
    private readonly eventsTopic: string,
    private readonly partition: number,
    private readonly tail: Tail | undefined,
  ) {}

  async commit({ events, messages }: PartitionCommit): Promise<{ firstOffset: number | undefined }> {
    const byTopic = new Map<string, { key: string; value: string; partition?: number }[]>();
    if (events.length > 0) byTopic.set(this.eventsTopic, events.map((event) => ({ ...event, partition: this.partition })));
    for (const { topic, ...message } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    const metadata = await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
    const own = metadata.find((entry) => entry.topicName === this.eventsTopic && entry.partition === this.partition);
    const firstOffset = own ? Number(own.baseOffset) : undefined;
    if (firstOffset !== undefined) await this.tail?.reached(firstOffset + events.length - 1);
    return { firstOffset };
  }

  async close(): Promise<void> {
    await Promise.all([this.producer.disconnect(), this.tail?.close()]);
  }
}

/** Follows one partition from an offset and says when a given offset has been read. */
class Tail {
  private seen = -1;
  private waiting: { offset: number; resolve: () => void }[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async open(kafka: Kafka, topic: string, partition: number, from: number): Promise<Tail> {
    const consumer = kafka.consumer({
      groupId: `${topic}.tail.${partition}.${randomBytes(4).toString('hex')}`,
      partitionAssigners: [singlePartitionAssigner(topic, partition)],
      maxWaitTimeInMs: 100,
    });
    const tail = new Tail(consumer);
    tail.seen = from - 1;
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => {
      consumer.seek({ topic, partition, offset: String(from) });
      joined();
    });
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ autoCommit: false, eachBatch: async ({ batch }) => tail.advance(Number(batch.lastOffset())) });
    await ready;
    return tail;
  }

  reached(offset: number): Promise<void> {
    if (this.seen >= offset) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ offset, resolve }));
  }

  private advance(offset: number): void {
    this.seen = Math.max(this.seen, offset);
    const due = this.waiting.filter((entry) => entry.offset <= this.seen);
    this.waiting = this.waiting.filter((entry) => entry.offset > this.seen);
    for (const entry of due) entry.resolve();
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}
