import { Consumer, Kafka } from 'kafkajs';
import { CommandFeed, FeedListener } from '@app/engine';

export interface KafkaCommandFeedOptions {
  kafka: Kafka;
  commandsTopic: string;
  groupId: string;
  /** How long a silent member keeps its partitions; the floor of takeover time after a crash. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Partitions handled at once; each partition stays strictly ordered. */
  concurrency?: number;
}

/** Command-feed port on a Kafka consumer group: assignment from the group, batches per partition. */
export class KafkaCommandFeed implements CommandFeed {
  private consumer?: Consumer;

  constructor(private readonly options: KafkaCommandFeedOptions) {}

  async start(listener: FeedListener): Promise<void> {
    const { kafka, commandsTopic, groupId, sessionTimeoutMs = 10_000, heartbeatIntervalMs = 1_000, concurrency = 64 } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      rebalanceTimeout: Math.max(sessionTimeoutMs, 30_000),
      maxWaitTimeInMs: 250,
      readUncommitted: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      listener.onAssignment([...(payload.memberAssignment[commandsTopic] ?? [])].sort((a, b) => a - b));
    });
    await consumer.connect();
    await consumer.subscribe({ topic: commandsTopic });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch, resolveOffset, pause, isStale }) => {
        // A batch fetched before a rewind comes from the wrong place; the rewind refetches it.
        if (isStale()) return;
        const commands = batch.messages.map((message) => ({ offset: Number(message.offset), value: message.value }));
        listener.onCommands(batch.partition, commands, pause);
        resolveOffset(batch.lastOffset());
      },
    });
  }

  rewind(partition: number, offset: number): void {
    this.consumer?.seek({ topic: this.options.commandsTopic, partition, offset: String(offset) });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
