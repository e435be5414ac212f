import { randomBytes } from 'node:crypto';
import { Admin, CompressionTypes, Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { CommandEnvelope, Outcome, ReplyRecord } from '@app/engine';
import { CoalescingQueue } from './coalescing-queue';
import { unwrittenPartitions } from '../engine/unwritten-partitions';
import { partitionOfKey } from '../partition-of-key';
import { topicOffsets } from '../retry-retriable';
import { TopicPartitionCounts } from '../topic-partition-counts';
import { FollowingConsumer } from './following-consumer';
import { singlePartitionAssigner } from '../single-partition-assigner';

export interface KafkaCommandClientOptions {
  kafka: Kafka;
  admin: Admin;
  /** Topic and partition this client reads its replies from; nobody else may read it. */
  replyTopic: string;
  replyPartition: number;
  /** Most commands awaiting their outcome at once; past it `send` refuses at once (ClientOverloadedError). */
  maxInFlight?: number;
  /** Most commands waiting to be produced; past it `send` and `dispatch` refuse at once (QueueFullError). */
  maxQueued?: number;
  /** Where the reply reader says it is rebuilding after a crash; console.error by default. */
  log?: (line: string) => void;
}

export const DEFAULT_MAX_IN_FLIGHT = 2_000;
export const DEFAULT_MAX_QUEUED = 10_000;

export class ReplyTimeoutError extends Error {
  constructor(commandId: string, ms: number) {
    super(`no reply to ${commandId} within ${ms} ms`);
    this.name = 'ReplyTimeoutError';
  }
}

/** The command was not sent: this client already has as many commands in flight as it may. */
export class ClientOverloadedError extends Error {
  constructor(limit: number) {
    super(`${limit} commands already await their outcome`);
    this.name = 'ClientOverloadedError';
  }
}

const EXPIRED = Symbol('expired');

/**
 * Sends command envelopes to a service's commands topic and awaits their outcomes on a reply partition: the
 * request/reply path a gateway uses. Retrying with the same commandId is always safe.
 *
 * Nothing a caller sends can end the process or grow without bound: one deadline covers the produce and the
 * reply (the caller hears ReplyTimeoutError, or the produce's error, and nothing else is left to reject), a
 * command still queued when its deadline passes is withdrawn, and past `maxInFlight` commands a send is refused
 * at once. Replies keep coming after a broker restart (the reply reader keeps its place and is rebuilt when it
 * crashes), and a producer that failed is replaced before the next produce.
 */
export class KafkaCommandClient {
  private producer?: Producer;
  private replies?: FollowingConsumer;
  private readonly waiting = new Map<string, Set<(outcome: Outcome) => void>>();
  private inFlight = 0;
  private readonly maxInFlight: number;
  // Commands from every caller share requests: one produce request per command would cap a gateway at one
  // broker round trip per command.
  private readonly outgoing: CoalescingQueue<{ topic: string; message: Message }>;
  private readonly partitionCounts: TopicPartitionCounts;

  constructor(private readonly options: KafkaCommandClientOptions) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.outgoing = new CoalescingQueue((items) => this.produce(items), 500, options.maxQueued ?? DEFAULT_MAX_QUEUED);
    this.partitionCounts = new TopicPartitionCounts(options.admin);
  }

  /** Commands sent and not yet answered, timed out or failed. */
  get commandsInFlight(): number {
    return this.inFlight;
  }

  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  private async connect(): Promise<void> {
    const { kafka, admin, replyTopic, replyPartition } = this.options;
    this.producer = await this.newProducer();
    const offsets = (await topicOffsets(admin, replyTopic)).find((entry) => entry.partition === replyPartition);
    if (!offsets) throw new Error(`${replyTopic} has no partition ${replyPartition}`);
    this.replies = new FollowingConsumer({
      kafka,
      admin,
      group: `${replyTopic}.client.${replyPartition}.${randomBytes(6).toString('hex')}`,
      topic: replyTopic,
      from: new Map([[replyPartition, offsets.high]]),
      config: { partitionAssigners: [singlePartitionAssigner(replyTopic, replyPartition)], maxWaitTimeInMs: 100 },
      eachMessage: (_partition, message) => this.deliver(parseReply(message.value)),
      log: this.options.log,
    });
    await this.replies.start();
  }

  private deliver(reply: ReplyRecord | undefined): void {
    if (!reply) return;
    const waiters = this.waiting.get(reply.commandId);
    this.waiting.delete(reply.commandId);
    for (const resolve of waiters ?? []) resolve(reply.outcome);
  }

  /**
   * Sends the command and resolves with its outcome. Rejects with ReplyTimeoutError when none comes within
   * `timeoutMs` of the call (produce included), with ClientOverloadedError or QueueFullError at once when too
   * many commands are in flight, or with the produce's error (a send whose answer leaves out the command's partition
   * included); in each case the command may be retried with the same commandId.
   */
  async send(commandsTopic: string, envelope: Omit<CommandEnvelope, 'replyTo'>, timeoutMs = 10_000): Promise<Outcome> {
    if (this.inFlight >= this.maxInFlight) throw new ClientOverloadedError(this.maxInFlight);
    this.inFlight++;
    const { commandId } = envelope;
    let answer!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (answer = resolve));
    const waiters = this.waiting.get(commandId) ?? new Set();
    waiters.add(answer);
    this.waiting.set(commandId, waiters);
    const deadline = new AbortController();
    // Resolves, never rejects: whatever the produce is doing when it fires, there is no rejection to lose.
    const expired = new Promise<typeof EXPIRED>((resolve) => deadline.signal.addEventListener('abort', () => resolve(EXPIRED), { once: true }));
    const timer = setTimeout(() => deadline.abort(new ReplyTimeoutError(commandId, timeoutMs)), timeoutMs);
    try {
      const replyTo = { topic: this.options.replyTopic, partition: this.options.replyPartition };
      const message = { key: envelope.aggregateId, value: JSON.stringify({ ...envelope, replyTo }) };
      // Race handles both sides: a produce that fails after the deadline won is handled, and ignored.
      const first = await Promise.race([this.outgoing.add({ topic: commandsTopic, message }, deadline.signal).then(() => outcome), expired]);
      if (first === EXPIRED) throw deadline.signal.reason;
      return first;
    } finally {
      clearTimeout(timer);
      waiters.delete(answer);
      if (waiters.size === 0 && this.waiting.get(commandId) === waiters) this.waiting.delete(commandId);
      this.inFlight--;
    }
  }

  /**
   * Sends a command whose outcome nobody waits for; resolves once it is stored (so it precedes anything sent after it),
   * rejects with the produce's error otherwise (then it may be retried with the same commandId).
   */
  async dispatch(commandsTopic: string, envelope: Omit<CommandEnvelope, 'replyTo'>): Promise<void> {
    await this.outgoing.add({ topic: commandsTopic, message: { key: envelope.aggregateId, value: JSON.stringify(envelope) } });
  }

  private async newProducer(): Promise<Producer> {
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return producer;
  }

  /**
   * Sends the items, and answers for each whether it was written: kafkajs 2.2.4 can resolve a send without having
   * written a partition whose leader moved during it (tulios/kafkajs#1303, see unwrittenPartitions); a command bound
   * there fails, so its caller retries it (same commandId) instead of hearing it was stored.
   */
  private async produce(items: { topic: string; message: Message }[]): Promise<(Error | undefined)[] | void> {
    const partitioned: { topic: string; message: Message & { partition: number } }[] = [];
    for (const { topic, message } of items) {
      // Named here (the producer's own partitioner picks the same), so the answer can be checked for each partition.
      partitioned.push({ topic, message: { ...message, partition: partitionOfKey(String(message.key), await this.partitionsOf(topic)) } });
    }
    const byTopic = new Map<string, (Message & { partition: number })[]>();
    for (const { topic, message } of partitioned) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const producer = this.producer ?? (this.producer = await this.newProducer());
    let written: RecordMetadata[];
    try {
      written = await producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages });
    } catch (error) {
      // kafkajs's idempotent producer can stay out of step with a broker that restarted (out of order sequence,
      // unknown producer id) and fail every send after; a new one starts afresh. Safe: a command sent again is
      // deduplicated by its commandId, and flushes never overlap, so order is kept.
      if (this.producer === producer) this.producer = undefined;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    const unwritten = new Set(unwrittenPartitions(topicMessages, written));
    if (unwritten.size === 0) return;
    const failure = new Error(`kafkajs answered a send without writing to ${[...unwritten].join(', ')} (a leader moved during the send)`);
    return partitioned.map(({ topic, message }) => (unwritten.has(`${topic}[${message.partition}]`) ? failure : undefined));
  }

  /** Partitions of a commands topic: a missing one is no place for a command. */
  private async partitionsOf(topic: string): Promise<number> {
    const count = await this.partitionCounts.of(topic);
    if (count === 0) throw new Error(`${topic} has no partitions`);
    return count;
  }

  async stop(): Promise<void> {
    await Promise.all([this.replies?.stop(), this.producer?.disconnect()]);
  }
}

function parseReply(value: Buffer | null): ReplyRecord | undefined {
  try {
    const reply = JSON.parse(value?.toString('utf8') ?? '') as ReplyRecord;
    return typeof reply.commandId === 'string' && typeof reply.outcome === 'object' ? reply : undefined;
  } catch {
    return undefined;
  }
}
