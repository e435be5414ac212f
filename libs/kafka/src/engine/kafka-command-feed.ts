import { Consumer, Kafka } from 'kafkajs';
import { CommandFeed, FeedListener } from '@app/engine';
import { advertisingAssigner } from '../owners/advertising-assigner';

export interface KafkaCommandFeedOptions {
  kafka: Kafka;
  commandsTopic: string;
  groupId: string;
  /** How long a silent member keeps its partitions; the floor of takeover time after a crash. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Partitions handled at once; each partition stays strictly ordered. */
  concurrency?: number;
  /** Where this process takes commands sent straight to it, advertised in the group to whoever sends them. */
  advertise?: string;
}

/** How long the group waits for a silent member before it takes its partitions away; the broker refuses under 6 s. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/**
 * Between heartbeats, which is also how long members take to hear of a rebalance: short, because a crashed member
 * evicted at once (see `CrashWatch`) hands its partitions over only when the others have heard.
 */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 100;

/** Command-feed port on a Kafka consumer group: assignment from the group, batches per partition. */
export class KafkaCommandFeed implements CommandFeed {
  private consumer?: Consumer;
  private assignment = new Set<number>();
  private waiting: ((assignment: ReadonlySet<number> | undefined) => void)[] = [];

  constructor(private readonly options: KafkaCommandFeedOptions) {}

  async start(listener: FeedListener): Promise<void> {
    const {
      kafka,
      commandsTopic,
      groupId,
      sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS,
      concurrency = 64,
      advertise,
    } = this.options;
    const consumer = kafka.consumer({
      groupId,
      ...(advertise ? { partitionAssigners: [advertisingAssigner(advertise)] } : {}),
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      rebalanceTimeout: Math.max(sessionTimeoutMs, 30_000),
      // Commands mostly come straight to the owner, so the topic is usually idle: a short wait keeps the heartbeats
      // (sent between fetches) on time, and a new owner's first fetch after its rewind from waiting out an old one.
      maxWaitTimeInMs: 100,
      readUncommitted: false,
    });
    this.consumer = consumer;
    let memberId: string | undefined;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = [...(payload.memberAssignment[commandsTopic] ?? [])].sort((a, b) => a - b);
      // A new member id means this member was out of the group (evicted, or its session expired) and joined again:
      // whoever held its partitions meanwhile may have written to them, so none is kept in memory, all are recovered.
      if (memberId !== undefined && payload.memberId !== memberId) listener.onAssignment([]);
      memberId = payload.memberId;
      this.assignment = new Set(partitions);
      listener.onAssignment(partitions);
      this.settle(this.assignment);
    });
    // A heartbeat only succeeds for a current member of the current generation: its assignment stands.
    consumer.on(consumer.events.HEARTBEAT, () => this.settle(this.assignment));
    await consumer.connect();
    // Each partition is positioned by a rewind after recovery; an offset below the log start resets to the earliest.
    await consumer.subscribe({ topic: commandsTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch, resolveOffset, pause, isStale }) => {
        // A batch fetched before a rewind comes from the wrong place; the rewind refetches it.
        if (isStale()) return;
        const commands = batch.messages.map((message) => ({ offset: Number(message.offset), value: message.value }));
        listener.onCommands(batch.partition, commands, pause, Math.max(0, Number(batch.offsetLag())));
        resolveOffset(batch.lastOffset());
      },
    });
  }

  rewind(partition: number, offset: number): void {
    this.consumer?.seek({ topic: this.options.commandsTopic, partition, offset: String(offset) });
  }

  stillOwned(partition: number): Promise<boolean> {
    if (!this.consumer) return Promise.resolve(false);
    return new Promise((resolve) => this.waiting.push((assignment) => resolve(assignment?.has(partition) ?? false)));
  }

  private settle(assignment: ReadonlySet<number> | undefined): void {
    for (const resolve of this.waiting.splice(0)) resolve(assignment);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.settle(undefined);
  }
}
