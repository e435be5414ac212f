import { randomBytes } from 'node:crypto';
import { Admin, CompressionTypes, Consumer, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { CommandEnvelope, Outcome, ReplyRecord } from '@app/engine';
import { CoalescingQueue } from '../coalescing-queue';
import { topicOffsets } from '../retry-retriable';
import { singlePartitionAssigner } from './single-partition-assigner';

export interface KafkaCommandClientOptions {
  kafka: Kafka;
  admin: Admin;
  /** Topic and partition this client reads its replies from; nobody else may read it. */
  replyTopic: string;
  replyPartition: number;
}

export class ReplyTimeoutError extends Error {
  constructor(commandId: string, ms: number) {
    super(`no reply to ${commandId} within ${ms} ms`);
    this.name = 'ReplyTimeoutError';
  }
}

/**
 * Sends command envelopes to a service's commands topic and awaits their outcomes on a reply
 * partition: the request/reply path a gateway uses. Retrying with the same commandId is always safe.
 */
export class KafkaCommandClient {
  private producer?: Producer;
  private consumer?: Consumer;
  private readonly waiting = new Map<string, ((outcome: Outcome) => void)[]>();
  // Commands from every caller share requests: one produce request per command would cap a gateway at one
  // broker round trip per command.
  private readonly outgoing = new CoalescingQueue<{ topic: string; message: Message }>((items) => this.produce(items));

  constructor(private readonly options: KafkaCommandClientOptions) {}

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
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    const groupId = `${replyTopic}.client.${replyPartition}.${randomBytes(6).toString('hex')}`;
    const [offsets] = [(await topicOffsets(admin, replyTopic)).find((entry) => entry.partition === replyPartition)];
    if (!offsets) throw new Error(`${replyTopic} has no partition ${replyPartition}`);
    this.consumer = kafka.consumer({ groupId, partitionAssigners: [singlePartitionAssigner(replyTopic, replyPartition)], maxWaitTimeInMs: 100 });
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    // Seek once the group exists (kafkajs may restart the consumer while joining a fresh broker).
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.consumer!.seek({ topic: replyTopic, partition: replyPartition, offset: offsets.high });
      joined();
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: replyTopic });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (Number(message.offset) < Number(offsets.high)) return;
        const reply = parseReply(message.value);
        if (!reply) return;
        const waiters = this.waiting.get(reply.commandId);
        this.waiting.delete(reply.commandId);
        for (const resolve of waiters ?? []) resolve(reply.outcome);
      },
    });
    await ready;
  }

  /** Sends the command and resolves with its outcome; rejects with ReplyTimeoutError when none comes in time. */
  async send(commandsTopic: string, envelope: Omit<CommandEnvelope, 'replyTo'>, timeoutMs = 10_000): Promise<Outcome> {
    let forget!: () => void;
    const outcome = new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        forget();
        reject(new ReplyTimeoutError(envelope.commandId, timeoutMs));
      }, timeoutMs);
      const done = (result: Outcome) => {
        clearTimeout(timer);
        resolve(result);
      };
      forget = () => {
        clearTimeout(timer);
        const rest = (this.waiting.get(envelope.commandId) ?? []).filter((entry) => entry !== done);
        if (rest.length > 0) this.waiting.set(envelope.commandId, rest);
        else this.waiting.delete(envelope.commandId);
      };
      this.waiting.set(envelope.commandId, [...(this.waiting.get(envelope.commandId) ?? []), done]);
    });
    const replyTo = { topic: this.options.replyTopic, partition: this.options.replyPartition };
    try {
      await this.outgoing.add({ topic: commandsTopic, message: { key: envelope.aggregateId, value: JSON.stringify({ ...envelope, replyTo }) } });
    } catch (error) {
      forget();
      throw error;
    }
    return outcome;
  }

  /** Sends a command whose outcome nobody waits for; resolves once it is stored (so it precedes anything sent after it). */
  async dispatch(commandsTopic: string, envelope: Omit<CommandEnvelope, 'replyTo'>): Promise<void> {
    await this.outgoing.add({ topic: commandsTopic, message: { key: envelope.aggregateId, value: JSON.stringify(envelope) } });
  }

  private async produce(items: { topic: string; message: Message }[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of items) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    await this.producer!.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer?.disconnect(), this.producer?.disconnect()]);
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
