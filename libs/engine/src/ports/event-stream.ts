/** A record to append to this partition of `<service>.events`. */
export interface EventAppend {
  key: string;
  value: string;
}

/** A record for any other topic in the same transaction: replies, commands to other partitions or services. */
export interface SideMessage {
  topic: string;
  /** Explicit partition (replies); when left out, the key's partition by the shared partitioner. A partition the topic lacks fails the commit. */
  partition?: number;
  key: string;
  value: string;
}

export interface PartitionCommit {
  events: EventAppend[];
  messages: SideMessage[];
}

/** Thrown when a newer writer has taken the partition: this one must stop and not retry. */
export class WriterFencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriterFencedError';
  }
}

/** The single writer of one partition. Opening it fences every earlier writer of that partition. */
export interface PartitionWriter {
  /** Atomically appends everything; resolves with the offset of the first event (undefined when none). */
  commit(commit: PartitionCommit): Promise<{ firstOffset: number | undefined }>;
  close(): Promise<void>;
}

export interface StreamRecord {
  offset: number;
  value: Buffer | null;
}

/** Port: one service's events topic plus the transactional writes that go with it. */
export interface EventStream {
  readonly name: string;
  openWriter(partition: number): Promise<PartitionWriter>;
  /** First readable offset and the offset the next record will get, as of now, read_committed. */
  bounds(partition: number): Promise<{ start: number; end: number }>;
  /** Partitions of any topic (0 when it does not exist): a reply address is checked before it can poison a commit. */
  partitionCount(topic: string): Promise<number>;
  /** Reads committed records with `from <= offset < to`, in order, in chunks. */
  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void>;
}
