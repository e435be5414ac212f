import { EventAppend, EventStream, PartitionWriter, SideMessage, StreamRecord } from '@app/engine';

/** A send the gate holds back: what it carries, and how it ends. */
export interface HeldSend {
  partition: number;
  messages: SideMessage[];
  /** Hands the messages to the real writer; the send ends as that one does. */
  pass(): void;
  /** Fails the send without sending anything; the writer is unusable from then on, like a real one whose send failed. */
  fail(error: Error): void;
}

/**
 * Wraps a real event stream for outage tests, the way a TCP proxy wraps a real connection: its writers
 * append and send through the real ones, except sends `hold` picks, which wait until the test passes or
 * fails them. Sends of one writer still go out in call order (a later one waits behind a held one).
 */
export class GatedEventStream implements EventStream {
  readonly name: string;
  /** Sends held so far, oldest first, whether pending or ended. */
  readonly held: HeldSend[] = [];
  /** Which sends to hold; none while left out. */
  hold?: (partition: number, messages: SideMessage[]) => boolean;
  /** Called as each writer is asked for, before it opens: lets a test note what the engine was doing then. */
  onOpen?: (partition: number) => void;
  private readonly pending = new Set<HeldSend>();

  constructor(private readonly inner: EventStream) {
    this.name = inner.name;
  }

  async openWriter(partition: number): Promise<PartitionWriter> {
    this.onOpen?.(partition);
    return new GatedWriter(await this.inner.openWriter(partition), partition, this);
  }

  bounds(partition: number): Promise<{ start: number; end: number }> {
    return this.inner.bounds(partition);
  }

  partitionCount(topic: string): Promise<number> {
    return this.inner.partitionCount(topic);
  }

  read(partition: number, from: number, to: number, onRecords: (records: StreamRecord[]) => void | Promise<void>): Promise<void> {
    return this.inner.read(partition, from, to, onRecords);
  }

  /** Fails every send still held: an engine stops only once its sends have ended. */
  failAll(error = new Error('held send failed at clean-up')): void {
    for (const send of [...this.pending]) send.fail(error);
  }

  /** @internal Holds one send until the test ends it. */
  holdSend(partition: number, messages: SideMessage[], send: () => Promise<void>, onFail: (error: Error) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const held: HeldSend = {
        partition,
        messages,
        pass: () => {
          if (!this.pending.delete(held)) return;
          send().then(resolve, reject);
        },
        fail: (error) => {
          if (!this.pending.delete(held)) return;
          onFail(error);
          reject(error);
        },
      };
      this.pending.add(held);
      this.held.push(held);
    });
  }
}

class GatedWriter implements PartitionWriter {
  private sends: Promise<unknown> = Promise.resolve();
  private failure?: Error;

  constructor(
    private readonly inner: PartitionWriter,
    private readonly partition: number,
    private readonly gate: GatedEventStream,
  ) {}

  append(records: EventAppend[]): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return this.inner.append(records);
  }

  send(messages: SideMessage[]): Promise<void> {
    const result = this.sends.then(() => {
      if (this.failure) throw this.failure;
      if (!this.gate.hold?.(this.partition, messages)) return this.inner.send(messages);
      return this.gate.holdSend(
        this.partition,
        messages,
        () => this.inner.send(messages),
        (error) => (this.failure ??= error),
      );
    });
    this.sends = result.catch(() => undefined);
    return result;
  }

  close(): Promise<void> {
    this.failure ??= new Error('writer is closed');
    return this.inner.close();
  }
}
