/** One record as the in-memory broker keeps it. */
export interface TopicRecord {
  offset: number;
  key: string;
  value: Buffer;
}

/** A record to store: its value as text, stored as UTF-8 bytes. */
export interface TopicWrite {
  key: string;
  value: string;
}

export interface TopicSettings {
  /** Records larger than this (key and value bytes) are refused, as a broker refuses a message over `max.message.bytes`. */
  maxRecordBytes?: number;
}

/** One partition's log: records from `start` on (those before it were deleted), at offsets `start`, `start + 1`, ... */
interface Log {
  start: number;
  records: TopicRecord[];
}

interface Topic {
  partitions: Log[];
  settings: TopicSettings;
  /** Set by a test: writes (to one partition, or all when it names none) are refused with this reason until cleared. */
  refusing?: { reason: string; partition?: number };
  watchers: Set<(partition: number) => void>;
}

/** Topic names a broker would accept: what a reply address taken from a command must look like to be asked about. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * A broker stand-in for the fast test tier: named topics of partitions, each an append-only list of records with
 * consecutive offsets from 0. The in-memory event stream, command feed and their tests share one, as the real
 * adapters share a Kafka cluster: what a writer sends to a commands topic is what a feed of that topic delivers.
 */
export class InMemoryTopics {
  private readonly topics = new Map<string, Topic>();

  create(name: string, partitions: number, settings: TopicSettings = {}): void {
    if (!TOPIC_NAME.test(name)) throw new Error(`invalid topic name ${JSON.stringify(name)}`);
    if (this.topics.has(name)) throw new Error(`topic ${name} exists`);
    if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`topic ${name}: partitions must be a positive integer`);
    this.topics.set(name, { partitions: Array.from({ length: partitions }, () => ({ start: 0, records: [] })), settings, watchers: new Set() });
  }

  /** Partitions of a topic; 0 when there is no such topic. */
  partitionCount(name: string): number {
    return this.topics.get(name)?.partitions.length ?? 0;
  }

  /** The records of one partition still there, oldest first; throws for a partition the topic lacks. */
  records(name: string, partition: number): readonly TopicRecord[] {
    return this.partition(name, partition).records;
  }

  /** The records with `from <= offset < to` (at most `to - from`): those still there, from the log's start on. */
  read(name: string, partition: number, from: number, to: number): TopicRecord[] {
    const { start, records } = this.partition(name, partition);
    return records.slice(Math.max(0, from - start), Math.max(0, to - start));
  }

  /** First offset still there. */
  start(name: string, partition: number): number {
    return this.partition(name, partition).start;
  }

  /** Offset the next record of the partition will get. */
  end(name: string, partition: number): number {
    const { start, records } = this.partition(name, partition);
    return start + records.length;
  }

  /** Deletes the records before `offset` (at most all of them), as retention or `deleteRecords` does: the log then starts there. */
  deleteBefore(name: string, partition: number, offset: number): void {
    const log = this.partition(name, partition);
    const start = Math.min(Math.max(log.start, offset), log.start + log.records.length);
    log.records = log.records.slice(start - log.start);
    log.start = start;
  }

  /** The partition a keyed record without an explicit partition lands in (FNV-1a of the key). */
  partitionOfKey(key: string, partitions: number): number {
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(key, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash % partitions;
  }

  /** Why a write of `records` to the partition would be refused, or undefined when it would be stored. */
  refusal(name: string, partition: number, records: readonly TopicWrite[]): string | undefined {
    const topic = this.topics.get(name);
    if (!topic) return `topic ${JSON.stringify(name)} does not exist`;
    if (!Number.isInteger(partition) || partition < 0 || partition >= topic.partitions.length) return `${name} has no partition ${partition}`;
    const { refusing } = topic;
    if (refusing && (refusing.partition === undefined || refusing.partition === partition)) return `${name}[${partition}] refuses writes: ${refusing.reason}`;
    const { maxRecordBytes } = topic.settings;
    const tooLarge = maxRecordBytes === undefined ? undefined : records.find((record) => recordBytes(record) > maxRecordBytes);
    return tooLarge ? `a record of ${recordBytes(tooLarge)} bytes exceeds ${name}'s limit of ${maxRecordBytes}` : undefined;
  }

  /** Stores the records as one contiguous run; returns the offset of the first. Throws (storing nothing) when refused. */
  append(name: string, partition: number, records: readonly TopicWrite[]): number {
    const refused = this.refusal(name, partition, records);
    if (refused) throw new Error(refused);
    const log = this.partition(name, partition);
    const first = this.end(name, partition);
    records.forEach(({ key, value }, index) => log.records.push({ offset: first + index, key, value: Buffer.from(value, 'utf8') }));
    if (records.length > 0) for (const watcher of this.topic(name).watchers) watcher(partition);
    return first;
  }

  /** Calls `watcher` after every append to the topic, with the partition; returns the unsubscribe. */
  watch(name: string, watcher: (partition: number) => void): () => void {
    const { watchers } = this.topic(name);
    watchers.add(watcher);
    return () => void watchers.delete(watcher);
  }

  /** Fault for tests: later writes to the topic (or one partition of it) fail with `reason`, as a broker refusing them would, until `acceptWrites`. */
  refuseWrites(name: string, { reason = 'refused by the test', partition }: { reason?: string; partition?: number } = {}): void {
    this.topic(name).refusing = { reason, partition };
  }

  acceptWrites(name: string): void {
    this.topic(name).refusing = undefined;
  }

  private topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`topic ${JSON.stringify(name)} does not exist`);
    return topic;
  }

  private partition(name: string, partition: number): Log {
    const log = this.topic(name).partitions[partition];
    if (!Number.isInteger(partition) || !log) throw new Error(`${name} has no partition ${partition}`);
    return log;
  }
}

const recordBytes = ({ key, value }: TopicWrite): number => Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
