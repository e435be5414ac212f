import { randomBytes } from 'node:crypto';
import { Admin, Consumer, Kafka } from 'kafkajs';
import { until } from './bench-support';

/** The next offset to be written, per partition: where a measuring window starts or ends. */
export type Offsets = Map<number, number>;

export interface TailedRecord<T> {
  partition: number;
  offset: number;
  /** Bytes of the record's value exactly as stored (key, headers and batch framing not included). */
  valueBytes: number;
  keyBytes: number;
  /** What the caller kept of the value, so a long tail need not hold every value in memory. */
  summary: T;
}

export async function endOffsets(admin: Admin, topic: string): Promise<Offsets> {
  return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
}

/**
 * Reads a topic from its beginning in a group of its own and keeps a summary of every record, so what was
 * appended between two `endOffsets` can be counted exactly afterwards.
 */
export class TopicTail<T> {
  private readonly records: TailedRecord<T>[] = [];
  private readonly position = new Map<number, number>();

  private constructor(
    private readonly consumer: Consumer,
    private readonly admin: Admin,
    private readonly groupId: string,
  ) {}

  static async start<T>(kafka: Kafka, admin: Admin, topic: string, summarize: (value: Buffer) => T): Promise<TopicTail<T>> {
    const groupId = `${topic}.bench-tail.${randomBytes(4).toString('hex')}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, maxBytesPerPartition: 16 * 1024 * 1024 });
    const tail = new TopicTail<T>(consumer, admin, groupId);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const value = message.value ?? Buffer.alloc(0);
          tail.records.push({
            partition: batch.partition,
            offset: Number(message.offset),
            valueBytes: value.length,
            keyBytes: message.key?.length ?? 0,
            summary: summarize(value),
          });
        }
        // Past the last offset read, including control records and compacted gaps that are never handed out.
        tail.position.set(batch.partition, Math.max(tail.position.get(batch.partition) ?? 0, Number(batch.lastOffset()) + 1));
      },
    });
    return tail;
  }

  /** Every record at or after `from` and before `to`, once the tail has read that far. */
  async between(from: Offsets, to: Offsets): Promise<TailedRecord<T>[]> {
    await until(
      'the tail caught up with the window',
      () => [...to].every(([partition, end]) => end <= (from.get(partition) ?? 0) || (this.position.get(partition) ?? 0) >= end),
      60_000,
    );
    return this.records.filter(({ partition, offset }) => offset >= (from.get(partition) ?? 0) && offset < (to.get(partition) ?? 0));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
  }
}
