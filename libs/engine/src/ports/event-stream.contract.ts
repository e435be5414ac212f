import { randomBytes } from 'node:crypto';
import { WriterFencedError } from '../errors/engine-errors';
import { EventAppend, EventStream, PartitionWriter, SideMessage, StreamRecord } from './event-stream';
import { ContractOptions, contractTests, poll, within } from './contract-tests.testing';

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

/** Bounds of every wait in the contract. */
const SETTLE_MS = 15_000;
const READ_MS = 30_000;

type TextRecord = { offset: number; value: string | null };

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
    const stream = (): EventStream => f().stream;
    const open = async (partition: number): Promise<PartitionWriter> => {
      const writer = await stream().openWriter(partition);
      writers.push(writer);
      return writer;
    };

    /** Waits until every offset below `offset` has settled, then returns the bounds. */
    const settledPast = (partition: number, offset: number): Promise<{ start: number; end: number }> =>
      poll(`${stream().name}[${partition}] to settle past offset ${offset - 1}`, async () => {
        const bounds = await stream().bounds(partition);
        return bounds.end >= offset ? bounds : undefined;
      }, SETTLE_MS);

    /** Reads [from, to), checking the chunking rules on the way; bounded. */
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
    const readAll = async (partition: number): Promise<TextRecord[]> => {
      const { start, end } = await stream().bounds(partition);
      return (await readRange(partition, start, end)).map(text);
    };

    /** Side markers, one on every side partition. */
    const sideMarkers = (tag: string): SideMessage[] =>
      range(f().sidePartitions).map((partition) => ({ topic: f().sideTopic, partition, key: `${tag}-marker-${partition}`, value: `${tag}-marker-${partition}` }));
    const asSideRecords = (messages: SideMessage[]): SideRecord[] =>
      sortSide(messages.map(({ partition, key, value }) => ({ partition: partition ?? -1, key, value })));

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

    it('returns the first offset of an append; read returns exactly its records, in order, at consecutive offsets', async () => {
      const writer = await open(0);
      const first = events('first', 5);
      const second = events('second', 3);

      const before = await stream().bounds(0);
      const one = await writer.append(first);
      expect(one).toBe(before.end);
      await settledPast(0, one + first.length);

      const two = await writer.append(second);
      expect(two).toBe(one + first.length);
      const { start, end } = await settledPast(0, two + second.length);

      expect({ start, end }).toEqual({ start: 0, end: two + second.length });
      expect(await readRange(0, start, end).then((records) => records.map(text))).toEqual(at(one, [...first, ...second]));
    });

    it('round-trips values byte for byte: unicode, quotes, control characters, empty', async () => {
      const writer = await open(1);
      const values = ['', '{"quote":"say \\"hi\\"","nul":"\\u0000"}', 'ä ß € 漢字 🎲🗡️👩‍👩‍👧 e\u0301 \u{10ffff}', '\t\r\n\u0001\u007f', ' '];
      const firstOffset = await writer.append(values.map((value, index) => ({ key: `k${index}`, value })));
      await settledPast(1, firstOffset + values.length);

      const records = await readRange(1, firstOffset, firstOffset + values.length);

      expect(records.map((record) => record.offset)).toEqual(values.map((_, index) => firstOffset + index));
      expect(records.map((record) => record.value?.toString('hex'))).toEqual(values.map((value) => Buffer.from(value, 'utf8').toString('hex')));
    });

    it('bounds of a partition never written are empty at 0, and reading them returns nothing', async () => {
      const writer = await open(0);
      const firstOffset = await writer.append(events('elsewhere', 2));
      await settledPast(0, firstOffset + 2);

      expect(await stream().bounds(1)).toEqual({ start: 0, end: 0 });
      expect(await readAll(1)).toEqual([]);
    });

    it('refuses bounds of a partition the stream does not have', async () => {
      await expect(within(SETTLE_MS, 'bounds of a missing partition', () => stream().bounds(f().partitions + 5))).rejects.toThrow();
    });

    it('delivers nothing for a read with from >= to, and returns', async () => {
      const writer = await open(0);
      const firstOffset = await writer.append(events('some', 4));
      const { end } = await settledPast(0, firstOffset + 4);
      const delivered: StreamRecord[][] = [];

      for (const [partition, from, to] of [
        [0, firstOffset + 2, firstOffset + 2],
        [0, firstOffset + 3, firstOffset + 1],
        // At and past the end of the log, where nothing will come to end a read that waits for records.
        [0, end, end],
        [0, end + 5, end],
        // A partition never written.
        [1, 0, 0],
        [1, 7, 3],
      ]) {
        await within(READ_MS, `read(${partition}, ${from}, ${to})`, () => stream().read(partition, from, to, (chunk) => void delivered.push(chunk)));
      }

      expect(delivered).toEqual([]);
    });

    it('reads a sub-range [from, to), also across append boundaries', async () => {
      const writer = await open(0);
      const a = events('a', 10);
      const b = events('b', 10);
      const one = await writer.append(a);
      const two = await writer.append(b);
      await settledPast(0, two + b.length);
      const all = await readAll(0);
      expect(all).toEqual(at(one, [...a, ...b]));

      const slice = async (from: number, to: number) => (await readRange(0, from, to)).map(text);

      // Inside one append.
      expect(await slice(one + 3, one + 7)).toEqual(at(one + 3, a.slice(3, 7)));
      // Across the boundary between the two.
      expect(await slice(one + 8, two + 2)).toEqual(at(one + 8, [a[8], a[9], b[0], b[1]]));
      // A single record, and the last one.
      expect(await slice(two + 4, two + 5)).toEqual(at(two + 4, [b[4]]));
      expect(await slice(two + 9, two + 10)).toEqual(at(two + 9, [b[9]]));
    });

    it('keeps partitions independent: offsets, contents and writers', async () => {
      const [zero, one] = await Promise.all([open(0), open(1)]);
      const written: Record<number, string[]> = { 0: [], 1: [] };

      for (let round = 0; round < 4; round++) {
        for (const [partition, writer] of [[0, zero], [1, one]] as const) {
          const batch = events(`p${partition}-r${round}`, partition + 1 + round);
          const firstOffset = await writer.append(batch);
          expect(firstOffset).toBe(written[partition].length);
          written[partition].push(...batch.map((event) => event.value));
          await settledPast(partition, firstOffset + batch.length);
        }
      }

      expect((await readAll(0)).map((record) => record.value)).toEqual(written[0]);
      expect((await readAll(1)).map((record) => record.value)).toEqual(written[1]);
    });

    it('lets two writers of one partition both append: no fencing, each append one contiguous run', async () => {
      const [a, b] = await Promise.all([open(0), open(0)]);
      const batchesOf = (tag: string) => range(8).map((index) => events(`${tag}${index}`, 1 + (index % 4)));
      const aBatches = batchesOf('a');
      const bBatches = batchesOf('b');

      // Both writers at once, and each with its appends in flight together.
      const [aOffsets, bOffsets] = await Promise.all([Promise.all(aBatches.map((batch) => a.append(batch))), Promise.all(bBatches.map((batch) => b.append(batch)))]);
      const total = [...aBatches, ...bBatches].reduce((sum, batch) => sum + batch.length, 0);
      await settledPast(0, total);

      const log = await readAll(0);
      expect(log.map((record) => record.offset)).toEqual(range(total));
      for (const [batches, offsets] of [[aBatches, aOffsets], [bBatches, bOffsets]] as const) {
        batches.forEach((batch, index) => expect(log.slice(offsets[index], offsets[index] + batch.length)).toEqual(at(offsets[index], batch)));
        expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
      }
    });

    it('lands concurrent appends of one writer in call order, each right after the one before', async () => {
      const writer = await open(1);
      const batches = range(20).map((index) => events(`c${index}`, 1 + (index % 5)));

      const offsets = await Promise.all(batches.map((batch) => writer.append(batch)));

      const expected = batches.reduce<number[]>((firsts, batch, index) => [...firsts, index === 0 ? 0 : firsts[index - 1] + batches[index - 1].length], []);
      expect(offsets).toEqual(expected);
      const total = expected[19] + batches[19].length;
      await settledPast(1, total);
      expect(await readAll(1)).toEqual(at(0, batches.flat()));
    });

    it('runs sends alongside appends, each in call order', async () => {
      const writer = await open(0);
      const appends: Promise<number>[] = [];
      const sends: Promise<void>[] = [];
      const sent: SideMessage[] = [];
      for (let index = 0; index < 12; index++) {
        appends.push(writer.append(events(`a${index}`, 3)));
        const message = { topic: f().sideTopic, partition: index % f().sidePartitions, key: `s${index}`, value: `s${index}` };
        sent.push(message);
        sends.push(writer.send([message]));
      }

      const offsets = await within(READ_MS, 'the appends', () => Promise.all(appends));
      await within(READ_MS, 'the sends', () => Promise.all(sends));

      expect(offsets).toEqual(range(12).map((index) => offsets[0] + 3 * index));
      await settledPast(0, offsets[0] + 36);
      expect((await readAll(0)).map((record) => record.value)).toEqual(range(12).flatMap((index) => events(`a${index}`, 3).map((event) => event.value)));
      const side = await f().readSide(f().sideTopic, sent.length);
      for (let partition = 0; partition < f().sidePartitions; partition++) {
        const valuesOn = (records: { partition?: number; value: string }[]) => records.filter((record) => record.partition === partition).map((record) => record.value);
        expect(valuesOn(side)).toEqual(valuesOn(sent));
      }
    });

    it('refuses an empty append', async () => {
      const writer = await open(0);

      await expect(within(SETTLE_MS, 'an empty append', () => writer.append([]))).rejects.toThrow();

      expect(await stream().bounds(0)).toEqual({ start: 0, end: 0 });
    });

    it('sends side messages: explicit partitions honoured, keys by the shared partitioner, order per partition kept', async () => {
      const writer = await open(1);
      const explicit: SideMessage[] = range(f().sidePartitions).flatMap((partition) =>
        range(2).map((copy) => ({ topic: f().sideTopic, partition: f().sidePartitions - 1 - partition, key: 'same-key-everywhere', value: `explicit-${partition}-${copy}` })),
      );
      const keys = range(12).map((index) => `aggregate-${index}-${randomBytes(3).toString('hex')}`);
      // Three calls in flight together, two copies of every key in each.
      const rounds: SideMessage[][] = range(3).map((round) => keys.flatMap((key) => range(2).map((copy) => ({ topic: f().sideTopic, key, value: `${key}#${round}.${copy}` }))));

      await within(READ_MS, 'the sends', () => Promise.all([writer.send(explicit), ...rounds.map((messages) => writer.send(messages))]));

      const count = explicit.length + rounds.flat().length;
      const side = await f().readSide(f().sideTopic, count);
      expect(side).toHaveLength(count);
      expect(sortSide(side.filter((record) => record.value.startsWith('explicit-')))).toEqual(asSideRecords(explicit));
      for (const partition of range(f().sidePartitions)) {
        const ownValues = (records: { partition?: number; value: string }[]) => records.filter((record) => record.partition === partition).map((record) => record.value);
        expect(ownValues(side.filter((record) => record.value.startsWith('explicit-')))).toEqual(ownValues(explicit));
      }
      for (const key of keys) {
        const landed = side.filter((record) => record.key === key);
        expect(landed.map((record) => record.value)).toEqual(range(3).flatMap((round) => range(2).map((copy) => `${key}#${round}.${copy}`)));
        expect(new Set(landed.map((record) => record.partition))).toEqual(new Set([f().partitionOfKey(key, f().sidePartitions)]));
      }
      expect(new Set(keys.map((key) => f().partitionOfKey(key, f().sidePartitions))).size).toBeGreaterThan(1);
      // Nothing of it on the events topic.
      expect(await readAll(1)).toEqual([]);
    });

    it('counts the partitions of a topic, and none for a topic that does not exist or cannot be named', async () => {
      expect(await stream().partitionCount(f().sideTopic)).toBe(f().sidePartitions);
      expect(await stream().partitionCount(`${f().sideTopic}-missing-${randomBytes(3).toString('hex')}`)).toBe(0);
      // Reply addresses come from commands: any string may arrive.
      for (const misnamed of ['', 'has space', '../x', 'x'.repeat(300)]) expect(await stream().partitionCount(misnamed)).toBe(0);
    });

    it('refuses a send to a partition its topic lacks, or to a topic that does not exist; the writer is unusable from then on', async () => {
      const writer = await open(0);
      const kept = events('kept', 2);
      const first = await writer.append(kept);

      const failing = writer.send([
        { topic: f().sideTopic, partition: 0, key: 'lost-ok', value: 'lost-ok' },
        { topic: f().sideTopic, partition: f().sidePartitions + 3, key: 'lost-nowhere', value: 'lost-nowhere' },
      ]);
      await expect(within(READ_MS, 'the send', () => failing)).rejects.toThrow();
      await expect(within(READ_MS, 'an append after it', () => writer.append(events('after', 1)))).rejects.toThrow();
      await expect(within(READ_MS, 'a send after it', () => writer.send(sideMarkers('after')))).rejects.toThrow();

      const other = await open(1);
      const missing = `${f().sideTopic}-missing-${randomBytes(3).toString('hex')}`;
      await expect(within(READ_MS, 'a send to a missing topic', () => other.send([{ topic: missing, key: 'k', value: 'v' }]))).rejects.toThrow();

      // A new writer works, right after what the failed one appended before it failed.
      const next = await open(0);
      const after = events('next', 2);
      expect(await next.append(after)).toBe(first + kept.length);
      const markers = sideMarkers('next');
      await next.send(markers);
      await settledPast(0, first + kept.length + after.length);
      expect(await readAll(0)).toEqual(at(first, [...kept, ...after]));
      const side = await f().readSide(f().sideTopic, markers.length);
      expect(sortSide(side.filter((record) => record.value.startsWith('next-')))).toEqual(asSideRecords(markers));
      expect(side.filter((record) => record.value.startsWith('after-'))).toEqual([]);
    });

    it('rejects a send the backend refuses, and every later call of that writer; a new writer works', async () => {
      const writer = await open(1);
      const kept = events('kept', 2);
      const first = await writer.append(kept);

      const refused = f().refusedSideMessage();
      expect(refused.topic).not.toBe(stream().name);
      const error = await within(READ_MS, 'the refused send', () =>
        writer.send([{ topic: f().sideTopic, partition: 2, key: 'refused-explicit', value: 'refused-explicit' }, refused]).then(() => undefined, (reason: unknown) => reason),
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(WriterFencedError);

      // Same number of records as before, then a different number: neither may be taken for a duplicate and acknowledged.
      await expect(within(READ_MS, 'an append after it', () => writer.append(events('again', 2)))).rejects.toThrow();
      await expect(within(READ_MS, 'another append after it', () => writer.append(events('more', 3)))).rejects.toThrow();
      await expect(within(READ_MS, 'a send after it', () => writer.send(sideMarkers('again')))).rejects.toThrow();

      const next = await open(1);
      const after = events('after', 2);
      expect(await next.append(after)).toBe(first + kept.length);
      const markers = sideMarkers('next');
      await next.send(markers);
      await settledPast(1, first + kept.length + after.length);
      expect(await readAll(1)).toEqual(at(first, [...kept, ...after]));
      const side = await f().readSide(f().sideTopic, markers.length);
      expect(sortSide(side.filter((record) => record.value.startsWith('next-')))).toEqual(asSideRecords(markers));
    });

    it('round-trips an append of 2,000 records', async () => {
      const writer = await open(0);
      const big = range(2000).map((index) => ({ key: `big-${index % 37}`, value: `${index}:${randomBytes(50 + (index % 200)).toString('base64')}` }));

      const firstOffset = await writer.append(big);
      await settledPast(0, firstOffset + big.length);

      const all = await readAll(0);
      expect(all.length).toBe(big.length);
      expect(all.every((record, index) => record.offset === firstOffset + index && record.value === big[index].value)).toBe(true);
      const middle = await readRange(0, firstOffset + 700, firstOffset + 1300);
      expect(middle.map((record) => record.offset)).toEqual(range(600).map((index) => firstOffset + 700 + index));
    }, 90_000);

    it('reads every record after 200 small appends, and terminates, also from near and past the last record', async () => {
      const writer = await open(1);
      const firsts: number[] = [];
      for (let index = 0; index < 200; index++) firsts.push(await writer.append([{ key: `k${index % 7}`, value: `small-${index}` }]));
      expect(firsts).toEqual(range(200).map((index) => firsts[0] + index));
      const { start, end } = await settledPast(1, firsts[199] + 1);

      expect(await readRange(1, start, end).then((records) => records.map(text))).toEqual(firsts.map((offset, index) => ({ offset, value: `small-${index}` })));
      // A range that ends inside the log, one that ends at its end, and empty ones at and past the end.
      expect((await readRange(1, firsts[50], firsts[60])).map((record) => record.offset)).toEqual(firsts.slice(50, 60));
      expect((await readRange(1, firsts[189] + 1, end)).map((record) => record.offset)).toEqual(firsts.slice(190));
      expect(await readRange(1, end, end)).toEqual([]);
      expect(await readRange(1, end + 3, end + 1)).toEqual([]);
    }, 90_000);

    it('ends a read with the error thrown by onRecords, delivering nothing more', async () => {
      const writer = await open(0);
      const firstOffset = await writer.append(events('x', 3));
      const { end } = await settledPast(0, firstOffset + 3);
      const boom = new Error(`stop reading ${randomBytes(3).toString('hex')}`);
      const calls: number[][] = [];

      const outcome = await within(READ_MS, 'the failing read', () =>
        stream()
          .read(0, 0, end, (chunk) => {
            calls.push(chunk.map((record) => record.offset));
            throw boom;
          })
          .then(() => 'resolved', (error: unknown) => error),
      );

      // The error itself, or an error caused by it.
      expect(causes(outcome)).toContain(boom);
      expect(calls).toHaveLength(1);
    });
  });

  checkKnownDefects();
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let cause = error; cause !== undefined && chain.length < 10; cause = (cause as { cause?: unknown }).cause) chain.push(cause);
  return chain;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Events whose values name the test step and index, so a record from the wrong place cannot pass. */
function events(tag: string, count: number): EventAppend[] {
  return range(count).map((index) => ({ key: `${tag}-key-${index % 3}`, value: `${tag}-${index}` }));
}

/** The records a log holds for `appended`, from offset `first` on. */
function at(first: number, appended: EventAppend[]): TextRecord[] {
  return appended.map((event, index) => ({ offset: first + index, value: event.value }));
}

function text(record: StreamRecord): TextRecord {
  return { offset: record.offset, value: record.value === null ? null : record.value.toString('utf8') };
}

function sortSide(records: SideRecord[]): SideRecord[] {
  return [...records].sort((a, b) => a.partition - b.partition || a.key.localeCompare(b.key) || a.value.localeCompare(b.value));
}
