import { EventAppend, EventStream, PartitionWriter, SideMessage, StreamRecord } from './event-stream';
import { contractTests, poll, within } from './contract-tests.testing';
import type { EventStreamFixture, SideRecord } from './event-stream.contract';

/** Bounds of every wait in the contract. */
export const SETTLE_MS = 15_000;
export const READ_MS = 30_000;

export type TextRecord = { offset: number; value: string | null };

/** The `it` a contract suite declares its tests with (aware of the adapter's known defects). */
export type ContractIt = ReturnType<typeof contractTests>['it'];

/** What the EventStream contract's tests share: the current test's fixture and the probes built on it. */
export interface EventStreamKit {
  /** The current test's fixture; throws outside a test. */
  f(): EventStreamFixture;
  stream(): EventStream;
  /** Opens a writer that the suite closes after the test. */
  open(partition: number): Promise<PartitionWriter>;
  /** Waits until every offset below `offset` has settled, then returns the bounds. */
  settledPast(partition: number, offset: number): Promise<{ start: number; end: number }>;
  /** Reads [from, to), checking the chunking rules on the way; bounded. */
  readRange(partition: number, from: number, to: number): Promise<StreamRecord[]>;
  readAll(partition: number): Promise<TextRecord[]>;
  /** Side markers, one on every side partition. */
  sideMarkers(tag: string): SideMessage[];
  asSideRecords(messages: SideMessage[]): SideRecord[];
}

/** The kit over whatever fixture `f` gives; every writer it opens goes to `opened`, for closing. */
export function eventStreamKit(f: () => EventStreamFixture, opened: (writer: PartitionWriter) => void): EventStreamKit {
  const stream = (): EventStream => f().stream;

  const settledPast = (partition: number, offset: number): Promise<{ start: number; end: number }> =>
    poll(
      `${stream().name}[${partition}] to settle past offset ${offset - 1}`,
      async () => {
        const bounds = await stream().bounds(partition);
        return bounds.end >= offset ? bounds : undefined;
      },
      SETTLE_MS,
    );

  const readRange = async (partition: number, from: number, to: number): Promise<StreamRecord[]> => {
    const records: StreamRecord[] = [];
    await within(READ_MS, `read(${partition}, ${from}, ${to})`, () =>
      stream().read(partition, from, to, (chunk) => {
        expect(chunk.length).toBeGreaterThan(0);
        records.push(...chunk);
      }),
    );
    const offsets = records.map((record) => record.offset);
    for (const offset of offsets) {
      expect(Number.isSafeInteger(offset)).toBe(true);
      expect(offset).toBeGreaterThanOrEqual(from);
      expect(offset).toBeLessThan(to);
    }
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    return records;
  };

  return {
    f,
    stream,
    async open(partition) {
      const writer = await stream().openWriter(partition);
      opened(writer);
      return writer;
    },
    settledPast,
    readRange,
    async readAll(partition) {
      const { start, end } = await stream().bounds(partition);
      return (await readRange(partition, start, end)).map(text);
    },
    sideMarkers: (tag) =>
      range(f().sidePartitions).map((partition) => ({
        topic: f().sideTopic,
        partition,
        key: `${tag}-marker-${partition}`,
        value: `${tag}-marker-${partition}`,
      })),
    asSideRecords: (messages) => sortSide(messages.map(({ partition, key, value }) => ({ partition: partition ?? -1, key, value }))),
  };
}

export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let cause = error; cause !== undefined && chain.length < 10; cause = (cause as { cause?: unknown }).cause) chain.push(cause);
  return chain;
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Events whose values name the test step and index, so a record from the wrong place cannot pass. */
export function events(tag: string, count: number): EventAppend[] {
  return range(count).map((index) => ({ key: `${tag}-key-${index % 3}`, value: `${tag}-${index}` }));
}

/** The records a log holds for `appended`, from offset `first` on. */
export function at(first: number, appended: EventAppend[]): TextRecord[] {
  return appended.map((event, index) => ({ offset: first + index, value: event.value }));
}

export function text(record: StreamRecord): TextRecord {
  return { offset: record.offset, value: record.value === null ? null : record.value.toString('utf8') };
}

export function sortSide(records: SideRecord[]): SideRecord[] {
  return [...records].sort((a, b) => a.partition - b.partition || a.key.localeCompare(b.key) || a.value.localeCompare(b.value));
}
