import { Kafka, Partitioners } from 'kafkajs';
import { EventStream, PartitionCommit, PartitionWriter, StreamRecord } from '@app/engine';

/**
 * Benchmark only (`BENCH_WRITER=unfenced`): the engine's event stream with plain idempotent produces
 * instead of transactions. Neither fenced nor atomic, so it keeps none of the promises; it measures what
 * the transactions cost, the figure that decides whether DESIGN.md's log-based fencing could pay off.
 */
export class UnfencedEventStream implements EventStream {
  constructor(
    private readonly inner: EventStream,
    private readonly kafka: Kafka,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const eventsTopic = this.inner.name;
    return {
      async commit({ events, messages }: PartitionCommit) {
        const byTopic = new Map<string, { key: string; value: string; partition?: number }[]>();
        if (events.length > 0) byTopic.set(eventsTopic, events.map((event) => ({ ...event, partition })));
        for (const { topic, ...message } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
        const metadata = await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
        const own = metadata.find((entry) => entry.topicName === eventsTopic && entry.partition === partition);
        return { firstOffset: own ? Number(own.baseOffset) : undefined };
      },
      close: () => producer.disconnect(),
    };
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
