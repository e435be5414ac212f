import { Admin, Consumer, ConsumerConfig, Kafka, KafkaMessage } from 'kafkajs';
import { retryRetriable, topicOffsets } from '../retry-retriable';

export interface FollowingConsumerOptions {
  kafka: Kafka;
  admin: Admin;
  /** Name of the first group; a consumer built again joins `<group>.<n>`. Groups are this reader's alone. */
  group: string;
  topic: string;
  /** The first offset wanted, per partition; by default the end of every partition at start. */
  from?: Map<number, string>;
  /** Extra consumer settings (assigners, fetch wait). */
  config?: Omit<ConsumerConfig, 'groupId' | 'retry'>;
  eachMessage(partition: number, message: KafkaMessage): void;
  /** First wait before building a consumer again after one crashed (doubles up to 10 s). */
  restartDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Reads one topic from given offsets on, in groups of its own, committing nothing, and keeps reading whatever
 * happens to the broker.
 *
 * A crashed consumer is not left to kafkajs: kafkajs stops one for good on an error it does not retry, and one it
 * restarts joins its old group as a new member, where the group waits for the dead member's session to expire
 * (30 s by default) before anything is assigned; replies stopped that long after every broker restart. So kafkajs
 * is told never to restart, and this builds a new consumer in a fresh group, with backoff, until one runs. Each
 * seeks to the message after the last one handled: a broker restart loses nothing and replays nothing.
 */
export class FollowingConsumer {
  private consumer?: Consumer;
  private next = new Map<number, string>();
  /** Groups joined, deleted on stop; and how many consumers were built, which names the next group. */
  private readonly groups: string[] = [];
  private built = 0;
  private stopped = false;
  private rebuilding?: Promise<void>;
  /** Consumers that joined their group: one that crashes before is its caller's failure, not rebuilt here. */
  private readonly joined = new WeakSet<Consumer>();
  /** Consumers built again after one crashed. */
  rebuilt = 0;

  constructor(private readonly options: FollowingConsumerOptions) {}

  /**
   * Resolves once the group is joined and reading; rejects when the first consumer cannot get there. What Kafka calls
   * retriable is tried again with a new consumer: a broker that has just started answers joins with "the coordinator
   * is loading" for a while.
   */
  async start(): Promise<void> {
    const { admin, topic, from } = this.options;
    this.next = new Map(from ?? (await topicOffsets(admin, topic)).map(({ partition, high }) => [partition, high]));
    await retryRetriable(() => this.run(), 10, this.options.restartDelayMs ?? 300);
  }

  /** Stops reading and deletes the groups it made (none holds offsets; a crashed gateway's expire on their own). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.rebuilding;
    await this.consumer?.disconnect();
    if (this.groups.length > 0) await this.options.admin.deleteGroups(this.groups).catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { kafka, group, topic, config } = this.options;
    const groupId = this.built === 0 ? group : `${group}.${this.built}`;
    this.built++;
    const consumer = kafka.consumer({ ...config, groupId, retry: { retries: 5, restartOnFailure: async () => false } });
    this.consumer = consumer;
    let settle!: (crash?: Error) => void;
    // Resolved, never rejected: with no handler yet, a rejection would end the process.
    const joinedOrCrashed = new Promise<Error | undefined>((resolve) => (settle = resolve));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[topic] ?? []) {
        const offset = this.next.get(partition);
        if (offset !== undefined) consumer.seek({ topic, partition, offset });
      }
      if (!this.groups.includes(groupId)) this.groups.push(groupId);
      settle();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      settle(payload.error);
      this.rebuild(consumer, payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => this.handle(partition, message) });
      const crash = await joinedOrCrashed;
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

  /** Builds a new consumer for one that crashed; the first start reports its own failure instead. */
  private rebuild(crashed: Consumer, error: Error): void {
    if (this.stopped || this.consumer !== crashed || this.rebuilding || !this.joined.has(crashed)) return;
    this.log(`${this.options.group}: the consumer of ${this.options.topic} crashed (${error.name}: ${error.message}); building a new one`);
    this.rebuilding = this.rebuildUntilRunning()
      .catch((failure: unknown) => this.log(`${this.options.group}: rebuilding failed: ${String(failure)}`))
      .finally(() => (this.rebuilding = undefined));
  }

  private async rebuildUntilRunning(): Promise<void> {
    const first = this.options.restartDelayMs ?? 300;
    for (let attempt = 0; !this.stopped; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(first * 2 ** attempt, 10_000)));
      if (this.stopped) return;
      try {
        await this.run();
        this.rebuilt++;
        this.log(`${this.options.group}: reading ${this.options.topic} again (group ${this.groups.at(-1)})`);
        return;
      } catch (error) {
        this.log(`${this.options.group}: a new consumer of ${this.options.topic} failed (${String(error)}); trying again`);
      }
    }
  }

  private log(line: string): void {
    (this.options.log ?? console.error)(`[following-consumer] ${line}`);
  }
}
