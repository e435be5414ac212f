import { Admin, Consumer, ConsumerConfig, Kafka, KafkaMessage } from 'kafkajs';
import { topicOffsets } from '../retry-retriable';

export interface FollowingConsumerOptions {
  kafka: Kafka;
  admin: Admin;
  groupId: string;
  topic: string;
  /** The first offset wanted, per partition; by default the end of every partition at start. */
  from?: Map<number, string>;
  /** Extra consumer settings (assigners, fetch wait); the group is `groupId`. */
  config?: Omit<ConsumerConfig, 'groupId'>;
  eachMessage(partition: number, message: KafkaMessage): void;
  /** First wait before building the consumer again after kafkajs gave up on it (doubles up to 10 s). */
  restartDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Reads one topic from given offsets on, in a group of its own, committing nothing, and keeps reading whatever
 * happens to the broker. It keeps its place: every time the group is joined (the first time, and after kafkajs
 * restarted a consumer that crashed) it seeks each partition to the message after the last one handled, so a
 * broker restart loses nothing and replays nothing. And it outlives kafkajs giving up: a consumer that crashes
 * with an error kafkajs does not retry stops for good, so this builds a new one, with backoff, until one runs.
 */
export class FollowingConsumer {
  private consumer?: Consumer;
  private next = new Map<number, string>();
  private stopped = false;
  private rebuilding?: Promise<void>;
  /** Consumers that joined their group: one that crashes before is its caller's failure, not rebuilt here. */
  private readonly joined = new WeakSet<Consumer>();
  /** Consumers built again after kafkajs gave up on one. */
  rebuilt = 0;

  constructor(private readonly options: FollowingConsumerOptions) {}

  /** Resolves once the group is joined and reading; rejects when the first consumer cannot get there. */
  async start(): Promise<void> {
    const { admin, topic, from } = this.options;
    this.next = new Map(from ?? (await topicOffsets(admin, topic)).map(({ partition, high }) => [partition, high]));
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.rebuilding;
    await this.consumer?.disconnect();
  }

  private async run(): Promise<void> {
    const { kafka, groupId, topic, config } = this.options;
    const consumer = kafka.consumer({ ...config, groupId });
    this.consumer = consumer;
    let settle!: (crash?: Error) => void;
    // Resolved, never rejected: with no handler yet, a rejection would end the process.
    const joinedOrGaveUp = new Promise<Error | undefined>((resolve) => (settle = resolve));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[topic] ?? []) {
        const offset = this.next.get(partition);
        if (offset !== undefined) consumer.seek({ topic, partition, offset });
      }
      settle();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      settle(payload.error);
      this.rebuild(consumer, payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => this.handle(partition, message) });
      const crash = await joinedOrGaveUp;
      if (crash) throw crash;
      this.joined.add(consumer);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private handle(partition: number, message: KafkaMessage): void {
    const wanted = this.next.get(partition);
    // A fetch that began before a seek took effect.
    if (wanted !== undefined && Number(message.offset) < Number(wanted)) return;
    this.next.set(partition, String(Number(message.offset) + 1));
    this.options.eachMessage(partition, message);
  }

  /** Builds a new consumer for one that stopped for good; the first start reports its own failure instead. */
  private rebuild(crashed: Consumer, error: Error): void {
    if (this.stopped || this.consumer !== crashed || this.rebuilding || !this.joined.has(crashed)) return;
    this.log(`${this.options.groupId}: the consumer of ${this.options.topic} stopped (${error.name}: ${error.message}); building a new one`);
    this.rebuilding = this.rebuildUntilRunning()
      .catch((failure: unknown) => this.log(`${this.options.groupId}: rebuilding failed: ${String(failure)}`))
      .finally(() => (this.rebuilding = undefined));
  }

  private async rebuildUntilRunning(): Promise<void> {
    const first = this.options.restartDelayMs ?? 500;
    for (let attempt = 0; !this.stopped; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(first * 2 ** attempt, 10_000)));
      if (this.stopped) return;
      try {
        await this.run();
        this.rebuilt++;
        this.log(`${this.options.groupId}: reading ${this.options.topic} again`);
        return;
      } catch (error) {
        this.log(`${this.options.groupId}: a new consumer of ${this.options.topic} failed (${String(error)}); trying again`);
      }
    }
  }

  private log(line: string): void {
    (this.options.log ?? console.error)(`[following-consumer] ${line}`);
  }
}
