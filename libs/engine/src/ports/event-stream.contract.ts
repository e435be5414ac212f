import { EventStream, PartitionWriter, SideMessage } from './event-stream';
import { ContractOptions, contractTests } from './contract-tests.testing';
import { eventStreamKit } from './event-stream-kit.testing';
import { eventStreamReadTests } from './event-stream-reads.contract';
import { eventStreamWriterTests } from './event-stream-writers.contract';
import { eventStreamSideMessageTests } from './event-stream-side-messages.contract';
import { eventStreamVolumeTests } from './event-stream-volume.contract';

/** A side message as a reader of its topic sees it. */
export interface SideRecord {
  partition: number;
  key: string;
  value: string;
}

/**
 * A fresh stream on fresh, empty topics, plus the probes the contract needs to look behind the port.
 * Every call of `makeFixture` must give topics that no other fixture ever used.
 */
export interface EventStreamFixture {
  stream: EventStream;
  /** Partitions of the events topic. At least 2. */
  partitions: number;
  /** A topic for side messages, with `sidePartitions` (at least 3) partitions. */
  sideTopic: string;
  sidePartitions: number;
  /** The system's shared partitioner: the partition a key lands on in a topic of `partitions` partitions. */
  partitionOfKey(key: string, partitions: number): number;
  /** The messages of a side topic, read from its beginning until at least `count` have arrived (bounded wait). */
  readSide(topic: string, count: number): Promise<SideRecord[]>;
  /** A side message (on any topic but the events topic) that the backend refuses to store, e.g. one larger than its topic allows. */
  refusedSideMessage(): SideMessage;
  close(): Promise<void>;
}

/**
 * What every `EventStream` adapter must do, as a jest suite: call it from the adapter's own spec with a
 * factory for a fixture on fresh topics. Each test gets its own fixture.
 *
 * An append is visible to `bounds` and `read` once it has settled: the contract waits (bounded) for
 * `bounds().end` to pass what it appended.
 */
export function eventStreamContract(name: string, makeFixture: () => Promise<EventStreamFixture>, options: ContractOptions = {}): void {
  const { it, checkKnownDefects } = contractTests(name, options);

  describe(`${name} (EventStream contract)`, () => {
    let fixture: EventStreamFixture | undefined;
    let writers: PartitionWriter[] = [];

    const f = (): EventStreamFixture => {
      if (!fixture) throw new Error('makeFixture() did not produce a fixture');
      return fixture;
    };
    const kit = eventStreamKit(f, (writer) => void writers.push(writer));

    beforeEach(async () => {
      fixture = await makeFixture();
      expect(fixture.partitions).toBeGreaterThanOrEqual(2);
      expect(fixture.sidePartitions).toBeGreaterThanOrEqual(3);
    });

    afterEach(async () => {
      const closing = writers;
      writers = [];
      await Promise.all(closing.map((writer) => writer.close().catch(() => undefined)));
      await fixture?.close();
      fixture = undefined;
    });

    // The groups keep the order the tests have always run in.
    eventStreamReadTests(it, kit);
    eventStreamWriterTests(it, kit);
    eventStreamSideMessageTests(it, kit);
    eventStreamVolumeTests(it, kit);
  });

  checkKnownDefects();
}
