/** A record to append to this partition of `<service>.events`. */
export interface EventAppend {
  key: string;
  value: string;
}

/** A record for any other topic: replies, commands to other partitions or services. */
export interface SideMessage {
  topic: string;
  /** Explicit partition (replies); when left out, the key's partition by the shared partitioner. A partition the topic lacks fails the send. */
  partition?: number;
  key: string;
  value: string;
}

/**
 * One owner's writer of one partition. It fences no one and is fenced by no one: claim records in the
 * log decide which writer's records count. A writer whose call failed is unusable from then on.
 */
export interface PartitionWriter {
  /**
   * Appends the records as one contiguous run after everything this writer appended before, at most once
   * (a retried request is not appended twice); resolves with the offset of the first. Empty: rejected.
   */
  append(records: EventAppend[]): Promise<number>;
  /** Sends messages to other topics, at least once, in call order per target partition; resolves once all are stored. */
  send(messages: SideMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface StreamRecord {
  offset: number;
  value: Buffer | null;
}

/** Port: one service's events topic plus the writes that go with it. */
export interface EventStream {
  readonly name: string;
  openWriter(partition: number): Promise<PartitionWriter>;
  /** First readable offset and the offset the next record will get, as of now. */
  bounds(partition: number): Promise<{ start: number; end: number }>;
  /**
   * Partitions of any topic (0 when it does not exist or cannot be sent to; rejects when it cannot find out): a reply
   * address is checked before it can poison a send.
   */
  partitionCount(topic: string): Promise<number>;
  /** Reads records with `from <= offset < to`, in order, in chunks. */
  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void>;
  /** Keeps `count` writers' connections open ahead of need, so a takeover's `openWriter` does not wait for them. */
  prepareWriters?(count: number): void;
  /** Lets go of what the stream holds beyond its open writers (those are closed by whoever opened them). */
  close?(): Promise<void>;
}

/** The same stream, its reads handing records on through `through` (which calls the reader's own `onRecords`). */
export function withReadsThrough(stream: EventStream, through: (onRecords: RecordsReceiver) => RecordsReceiver): EventStream {
  return {
    name: stream.name,
    openWriter: (partition) => stream.openWriter(partition),
    bounds: (partition) => stream.bounds(partition),
    partitionCount: (topic) => stream.partitionCount(topic),
    read: (partition, from, to, onRecords) => stream.read(partition, from, to, through(onRecords)),
  };
}

export type RecordsReceiver = (records: StreamRecord[]) => void | Promise<void>;
