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
  private rebalancing = false;

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
    consumer.on(consumer.events.REBALANCING, () => (this.rebalancing = true));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.rebalancing = false;
      listener.onAssignment([...(payload.memberAssignment[commandsTopic] ?? [])].sort((a, b) => a - b));
    });
    await consumer.connect();
    await consumer.subscribe({ topic: commandsTopic });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const commands = batch.messages.map((message) => ({ offset: Number(message.offset), value: message.value }));
        const handled = await listener.onCommands(batch.partition, commands, {
          heartbeat,
          isCurrent: () => isRunning() && !isStale() && !this.rebalancing,
        });
        // Unresolved commands are fetched again: exactly what a failed or refused batch needs.
        if (handled !== undefined) resolveOffset(String(handled));
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
