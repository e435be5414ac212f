import { EventAppend, EventStream, PartitionWriter, SideMessage, StreamRecord } from '../ports/event-stream';
import { InMemoryTopics, TopicWrite } from './in-memory-topics';
import { nextTurn } from './next-turn';

export interface InMemoryEventStreamOptions {
  /** Most records one `onRecords` call gets: small, so readers meet the chunk boundaries a real log has. */
  readChunkRecords?: number;
}

/**
 * `EventStream` over an events topic of `InMemoryTopics`, for the fast test tier; it honours the same contract as
 * the Kafka adapter (`eventStreamContract`). Like it, it fences no one: claim records in the log decide whose
 * appends count, and the engine reads them. Every call settles on a later turn of the event loop, as I/O would.
 */
export class InMemoryEventStream implements EventStream {
  private readonly readChunkRecords: number;

  constructor(
    private readonly topics: InMemoryTopics,
    readonly name: string,
    { readChunkRecords = 50 }: InMemoryEventStreamOptions = {},
  ) {
    if (topics.partitionCount(name) === 0) throw new Error(`events topic ${name} does not exist`);
    this.readChunkRecords = readChunkRecords;
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    await nextTurn();
    this.topics.end(this.name, partition);
    return new InMemoryPartitionWriter(this.topics, this.name, partition);
  }

  async bounds(partition: number): Promise<{ start: number; end: number }> {
    await nextTurn();
    return { start: this.topics.start(this.name, partition), end: this.topics.end(this.name, partition) };
  }

  async partitionCount(topic: string): Promise<number> {
    await nextTurn();
    return this.topics.partitionCount(topic);
  }

  async read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    await nextTurn();
    const [start, end] = [this.topics.start(this.name, partition), this.topics.end(this.name, partition)];
    if (from >= to) return;
    // Records asked for that do not exist: a reader that expects them has a wrong idea of the log.
    if (from < start || to > end) throw new Error(`${this.name}[${partition}]: read of ${from}..${to - 1}, but the log holds ${start}..${end - 1}`);
    for (let offset = from; offset < to; offset += this.readChunkRecords) {
      const chunk = this.topics.read(this.name, partition, offset, Math.min(to, offset + this.readChunkRecords));
      await onRecords(chunk.map((record) => ({ offset: record.offset, value: Buffer.from(record.value) })));
      await nextTurn();
    }
  }
}

/** One owner's writer: its calls land in call order; after a failed call it refuses everything, as the port requires. */
class InMemoryPartitionWriter implements PartitionWriter {
  private unusable?: string;

  constructor(
    private readonly topics: InMemoryTopics,
    private readonly eventsTopic: string,
    private readonly partition: number,
  ) {}

  async append(records: EventAppend[]): Promise<number> {
    this.usable();
    if (records.length === 0) this.fail('an empty append');
    const refused = this.topics.refusal(this.eventsTopic, this.partition, records);
    if (refused) this.fail(refused);
    // Stored at the call, so appends land in call order whatever their callers await.
    const first = this.topics.append(this.eventsTopic, this.partition, records);
    await nextTurn();
    return first;
  }

  async send(messages: SideMessage[]): Promise<void> {
    this.usable();
    const targets = messages.map((message) => ({ ...message, partition: message.partition ?? this.partitionOfKey(message) }));
    const refused = targets
      .map(({ topic, partition, key, value }) => this.topics.refusal(topic, partition, [{ key, value }]))
      .find((reason) => reason !== undefined);
    // All or nothing: a refused send stores none of its messages (the port allows fewer, never more).
    if (refused) this.fail(refused);
    for (const { topic, partition, key, value } of targets) this.topics.append(topic, partition, [{ key, value } satisfies TopicWrite]);
    await nextTurn();
  }

  async close(): Promise<void> {
    this.unusable ??= 'the writer is closed';
    await nextTurn();
  }

  private partitionOfKey({ topic, key }: SideMessage): number {
    const partitions = this.topics.partitionCount(topic);
    return partitions === 0 ? -1 : this.topics.partitionOfKey(key, partitions);
  }

  private usable(): void {
    if (this.unusable) throw new Error(`${this.eventsTopic}[${this.partition}] writer unusable: ${this.unusable}`);
  }

  private fail(reason: string): never {
    this.unusable = `an earlier call failed (${reason})`;
    throw new Error(`${this.eventsTopic}[${this.partition}] writer: ${reason}`);
  }
}
