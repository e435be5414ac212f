import { randomBytes } from 'node:crypto';
import { EventAppend, EventStream, PartitionCommit, PartitionWriter, SideMessage, StreamRecord, WriterFencedError } from './event-stream';
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
  /** The committed messages of a side topic, read from its beginning until at least `count` have arrived (bounded wait). */
  readSide(topic: string, count: number): Promise<SideRecord[]>;
  /**
   * A side message (on any topic but the events topic) that the backend refuses when the commit writes it,
   * e.g. one larger than its topic allows: a commit carrying it fails after its other parts may already be written.
   */
  refusedSideMessage(): SideMessage;
  close(): Promise<void>;
}

/** Bounds of every wait in the contract. */
const SETTLE_MS = 15_000;
const READ_MS = 30_000;

/**
 * What every `EventStream` adapter must do, as a jest suite: call it from the adapter's own spec with a
 * factory for a fixture on fresh topics. Each test gets its own fixture.
 *
 * A commit is visible to `bounds` and `read` once it has settled: the contract waits (bounded) for
 * `bounds().end` to pass what it committed, except right after `openWriter`, which must already see
 * everything its fenced predecessors committed (the engine recovers from exactly that point).
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
    const readAll = async (partition: number): Promise<{ offset: number; value: string | null }[]> => {
      const { start, end } = await stream().bounds(partition);
      return (await readRange(partition, start, end)).map(text);
    };
    /** Side markers, one on every side partition: once all are read, everything before them is too. */
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

    it('returns the first offset of a commit; read returns exactly its events, in order, at consecutive offsets', async () => {
      const writer = await open(0);
      const first = events('first', 5);
      const second = events('second', 3);

      const before = await stream().bounds(0);
      const one = await writer.commit({ events: first, messages: [] });
      expect(one.firstOffset).toBe(before.end);
      const afterOne = await settledPast(0, one.firstOffset! + first.length);

      const two = await writer.commit({ events: second, messages: [] });
      expect(two.firstOffset).toBe(afterOne.end);
      const { start, end } = await settledPast(0, two.firstOffset! + second.length);

      expect(start).toBe(0);
      expect(await readRange(0, start, end).then((records) => records.map(text))).toEqual([
        ...first.map((event, index) => ({ offset: one.firstOffset! + index, value: event.value })),
        ...second.map((event, index) => ({ offset: two.firstOffset! + index, value: event.value })),
      ]);
    });

    it('round-trips values byte for byte: unicode, quotes, control characters, empty', async () => {
      const writer = await open(1);
      const values = ['', '{"quote":"say \\"hi\\"","nul":"\\u0000"}', 'ä ß € 漢字 🎲🗡️👩‍👩‍👧 e\u0301 \u{10ffff}', '\t\r\n\u0001\u007f', ' '];
      const { firstOffset } = await writer.commit({ events: values.map((value, index) => ({ key: `k${index}`, value })), messages: [] });
      await settledPast(1, firstOffset! + values.length);

      const records = await readRange(1, firstOffset!, firstOffset! + values.length);

      expect(records.map((record) => record.offset)).toEqual(values.map((_, index) => firstOffset! + index));
      expect(records.map((record) => record.value?.toString('hex'))).toEqual(values.map((value) => Buffer.from(value, 'utf8').toString('hex')));
    });

    it('bounds of a partition never written are empty at 0, and reading them returns nothing', async () => {
      const writer = await open(0);
      const { firstOffset } = await writer.commit({ events: events('elsewhere', 2), messages: [] });
      await settledPast(0, firstOffset! + 2);

      expect(await stream().bounds(1)).toEqual({ start: 0, end: 0 });
      expect(await readAll(1)).toEqual([]);
    });

    it('refuses bounds of a partition the stream does not have', async () => {
      await expect(within(SETTLE_MS, 'bounds of a missing partition', () => stream().bounds(f().partitions + 5))).rejects.toThrow();
    });

    it('delivers nothing for a read with from >= to, and returns', async () => {
      const writer = await open(0);
      const { firstOffset } = await writer.commit({ events: events('some', 4), messages: [] });
      const { end } = await settledPast(0, firstOffset! + 4);
      const delivered: StreamRecord[][] = [];

      for (const [partition, from, to] of [
        [0, firstOffset! + 2, firstOffset! + 2],
        [0, firstOffset! + 3, firstOffset! + 1],
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

    it('reads a sub-range [from, to), also across transaction boundaries', async () => {
      const writer = await open(0);
      const a = events('a', 10);
      const b = events('b', 10);
      const one = await writer.commit({ events: a, messages: [] });
      const two = await writer.commit({ events: b, messages: [] });
      await settledPast(0, two.firstOffset! + b.length);
      const all = await readAll(0);
      expect(all.map((record) => record.value)).toEqual([...a, ...b].map((event) => event.value));

      const slice = async (from: number, to: number) => (await readRange(0, from, to)).map(text);
      const expected = (from: number, to: number) => all.filter((record) => record.offset >= from && record.offset < to);

      // Inside one transaction.
      expect(await slice(one.firstOffset! + 3, one.firstOffset! + 7)).toEqual(a.slice(3, 7).map((event, index) => ({ offset: one.firstOffset! + 3 + index, value: event.value })));
      // Across the boundary between the two.
      const across = await slice(one.firstOffset! + 8, two.firstOffset! + 2);
      expect(across.map((record) => record.value)).toEqual([a[8], a[9], b[0], b[1]].map((event) => event.value));
      expect(across).toEqual(expected(one.firstOffset! + 8, two.firstOffset! + 2));
      // A single record, and the last one.
      expect(await slice(two.firstOffset! + 4, two.firstOffset! + 5)).toEqual([{ offset: two.firstOffset! + 4, value: b[4].value }]);
      expect(await slice(two.firstOffset! + 9, two.firstOffset! + 10)).toEqual([{ offset: two.firstOffset! + 9, value: b[9].value }]);
    });

    it('keeps partitions independent: offsets, contents and writers', async () => {
      const [zero, one] = await Promise.all([open(0), open(1)]);
      const written: Record<number, string[]> = { 0: [], 1: [] };

      for (let round = 0; round < 4; round++) {
        for (const [partition, writer] of [[0, zero], [1, one]] as const) {
          const batch = events(`p${partition}-r${round}`, partition + 1 + round);
          const { firstOffset } = await writer.commit({ events: batch, messages: [] });
          if (round === 0) expect(firstOffset).toBe(0);
          written[partition].push(...batch.map((event) => event.value));
          await settledPast(partition, firstOffset! + batch.length);
        }
      }

      expect((await readAll(0)).map((record) => record.value)).toEqual(written[0]);
      expect((await readAll(1)).map((record) => record.value)).toEqual(written[1]);
    });

    it('fences the earlier writer as soon as a second one opens the partition', async () => {
      const old = await open(0);
      const before = events('before', 3);
      await old.commit({ events: before, messages: [] });

      const current = await open(0);

      // The new writer has committed nothing yet: opening it alone must have fenced the old one.
      const zombie = events('zombie', 4);
      await expect(old.commit({ events: zombie, messages: sideMarkers('zombie') })).rejects.toBeInstanceOf(WriterFencedError);
      const { start, end } = await stream().bounds(0);
      expect((await readRange(0, start, end)).map((record) => text(record).value)).toEqual(before.map((event) => event.value));

      // Nor did any of its side messages get out: the new writer's markers are all there is.
      const markers = sideMarkers('current');
      await current.commit({ events: [], messages: markers });
      expect(sortSide(await f().readSide(f().sideTopic, markers.length))).toEqual(asSideRecords(markers));
    });

    it('fences a writer whose only business is side messages', async () => {
      const old = await open(1);
      const current = await open(1);

      await expect(old.commit({ events: [], messages: sideMarkers('zombie') })).rejects.toBeInstanceOf(WriterFencedError);

      const markers = sideMarkers('current');
      expect(await current.commit({ events: [], messages: markers })).toEqual({ firstOffset: undefined });
      expect(sortSide(await f().readSide(f().sideTopic, markers.length))).toEqual(asSideRecords(markers));
      expect(await readAll(1)).toEqual([]);
    });

    it('does not let an earlier writer that never committed take the partition back from a newer one', async () => {
      const old = await open(0);
      const current = await open(0);
      const first = events('first', 2);
      await current.commit({ events: first, messages: [] });

      const zombie = await old.commit({ events: events('zombie', 2), messages: [] }).then(
        (result) => ({ committed: true, result }),
        (error: unknown) => ({ committed: false, fenced: error instanceof WriterFencedError }),
      );
      const second = events('second', 2);
      const next = await current.commit({ events: second, messages: [] }).then(
        (result) => ({ committed: true, result }),
        (error: unknown) => ({ committed: false, fenced: error instanceof WriterFencedError }),
      );

      expect({ zombie, next }).toEqual({ zombie: { committed: false, fenced: true }, next: { committed: true, result: { firstOffset: expect.any(Number) } } });
      await settledPast(0, (next as { result: { firstOffset: number } }).result.firstOffset + second.length);
      expect((await readAll(0)).map((record) => record.value)).toEqual([...first, ...second].map((event) => event.value));
    });

    it('keeps the earlier writer fenced while the new one commits', async () => {
      const old = await open(0);
      const before = events('before', 3);
      await old.commit({ events: before, messages: [] });
      const current = await open(0);
      const first = events('first', 2);
      await current.commit({ events: first, messages: [] });

      await expect(old.commit({ events: events('zombie', 4), messages: [] })).rejects.toBeInstanceOf(WriterFencedError);
      // Fenced for good: trying again does not help.
      await expect(old.commit({ events: events('zombie-again', 1), messages: [] })).rejects.toBeInstanceOf(WriterFencedError);

      const second = events('second', 2);
      const { firstOffset } = await current.commit({ events: second, messages: [] });
      await settledPast(0, firstOffset! + second.length);

      expect((await readAll(0)).map((record) => record.value)).toEqual([...before, ...first, ...second].map((event) => event.value));
    });

    it('shows a writer opened during its predecessor\'s commit that commit in full, or the commit fails', async () => {
      const old = await open(0);
      const before = events('before', 2);
      await old.commit({ events: before, messages: [] });
      const racing = events('racing', 5000);

      const pending = old.commit({ events: racing, messages: [] }).then(
        (result) => ({ committed: true, result }),
        (error: unknown) => ({ committed: false, error }),
      );
      await open(0);
      // No waiting: this is what the engine recovers from.
      const { start, end } = await stream().bounds(0);
      const seen = (await readRange(0, start, end)).map((record) => text(record).value);
      const outcome = await within(READ_MS, 'the racing commit', () => pending);

      if (outcome.committed) {
        expect(seen).toEqual([...before, ...racing].map((event) => event.value));
      } else {
        // Fenced or not, the engine treats any failed commit alike (it asks the group before fencing back).
        expect(outcome).toEqual({ committed: false, error: expect.any(Error) });
        expect(seen).toEqual(before.map((event) => event.value));
      }
    }, 60_000);

    it('lets a new writer see, at once, everything its predecessors committed', async () => {
      const written: string[] = [];
      for (let generation = 0; generation < 3; generation++) {
        const writer = await open(0);
        for (let batch = 0; batch < 3; batch++) {
          const appended = events(`g${generation}-b${batch}`, 2);
          await writer.commit({ events: appended, messages: [] });
          written.push(...appended.map((event) => event.value));
        }
      }

      // No waiting: the engine recovers with bounds() and read() right after openWriter().
      await open(0);
      const { start, end } = await stream().bounds(0);
      expect((await readRange(0, start, end)).map((record) => text(record).value)).toEqual(written);
    });

    it('leaves nothing of a fenced writer\'s commit visible: no event or side message', async () => {
      const old = await open(0);
      await old.commit({ events: events('old', 1), messages: [] });
      const current = await open(0);
      const markers = sideMarkers('current');
      const { firstOffset } = await current.commit({ events: events('current', 1), messages: markers });

      const failing: PartitionCommit = {
        events: events('fenced', 3),
        messages: [
          { topic: f().sideTopic, partition: 1, key: 'fenced-explicit', value: 'fenced-explicit' },
          { topic: f().sideTopic, key: 'fenced-keyed', value: 'fenced-keyed' },
        ],
      };
      await expect(old.commit(failing)).rejects.toBeInstanceOf(WriterFencedError);
      // A later commit proves that whatever the fenced one left has settled by now.
      const late = await current.commit({ events: events('late', 1), messages: [] });
      await settledPast(0, late.firstOffset! + 1);

      expect(firstOffset).toBeGreaterThan(0);
      expect((await readAll(0)).map((record) => record.value)).toEqual(['old-0', 'current-0', 'late-0']);

      expect(sortSide(await f().readSide(f().sideTopic, markers.length))).toEqual(asSideRecords(markers));
    });

    it('leaves nothing of a commit the backend refused midway: no event or side message', async () => {
      const writer = await open(0);
      const kept = events('kept', 2);
      await writer.commit({ events: kept, messages: [] });

      const refused = f().refusedSideMessage();
      expect(refused.topic).not.toBe(stream().name);
      const failing: PartitionCommit = {
        events: events('refused', 5),
        messages: [
          { topic: f().sideTopic, partition: 2, key: 'refused-explicit', value: 'refused-explicit' },
          { topic: f().sideTopic, key: 'refused-keyed', value: 'refused-keyed' },
          refused,
        ],
      };
      const error = await within(READ_MS, 'the refused commit', () => writer.commit(failing).then(() => undefined, (reason: unknown) => reason));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(WriterFencedError);

      // As the engine does after a failed commit: a new writer takes over.
      const next = await open(0);
      const markers = sideMarkers('next');
      const after = events('after', 2);
      const { firstOffset } = await next.commit({ events: after, messages: markers });
      await settledPast(0, firstOffset! + after.length);

      expect((await readAll(0)).map((record) => record.value)).toEqual([...kept, ...after].map((event) => event.value));
      expect(sortSide(await f().readSide(f().sideTopic, markers.length))).toEqual(asSideRecords(markers));
    });

    it('never acknowledges a later commit of a writer whose commit was refused without appending it', async () => {
      const writer = await open(1);
      await expect(within(READ_MS, 'the refused commit', () => writer.commit({ events: events('refused', 3), messages: [f().refusedSideMessage()] }))).rejects.toThrow();

      // The writer may refuse further work; what it acknowledges must be in the log, at the offsets it says.
      // Same number of events as the refused commit, then a different number.
      const again = events('again', 3);
      const more = events('more', 2);
      const acknowledged: { offset: number; value: string }[] = [];
      for (const batch of [again, more]) {
        const outcome = await writer.commit({ events: batch, messages: [] }).catch(() => undefined);
        if (!outcome) break;
        acknowledged.push(...batch.map((event, position) => ({ offset: outcome.firstOffset! + position, value: event.value })));
      }
      const marker = await (await open(1)).commit({ events: events('marker', 1), messages: [] });
      await settledPast(1, marker.firstOffset! + 1);

      expect(await readAll(1)).toEqual([...acknowledged, { offset: marker.firstOffset!, value: 'marker-0' }]);
    });

    it('refuses a side message to a partition its topic does not have, and commits none of it', async () => {
      const writer = await open(0);
      const failing: PartitionCommit = {
        events: events('lost', 2),
        messages: [
          { topic: f().sideTopic, partition: 0, key: 'lost-ok', value: 'lost-ok' },
          { topic: f().sideTopic, partition: f().sidePartitions + 3, key: 'lost-nowhere', value: 'lost-nowhere' },
        ],
      };

      const outcome = await within(READ_MS, 'the commit', () => writer.commit(failing).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ));

      const next = await open(0);
      const markers = sideMarkers('next');
      const { firstOffset } = await next.commit({ events: events('next', 1), messages: markers });
      await settledPast(0, firstOffset! + 1);
      const side = sortSide(await f().readSide(f().sideTopic, markers.length));
      const log = (await readAll(0)).map((record) => record.value);
      expect({ outcome, log, side }).toEqual({ outcome: { error: expect.any(Error) }, log: ['next-0'], side: asSideRecords(markers) });
    });

    it('delivers side messages with the commit: explicit partitions honoured, keys by the shared partitioner', async () => {
      const writer = await open(1);
      const explicit: SideMessage[] = range(f().sidePartitions).map((partition) => ({
        topic: f().sideTopic,
        partition: f().sidePartitions - 1 - partition,
        key: 'same-key-everywhere',
        value: `explicit-${f().sidePartitions - 1 - partition}`,
      }));
      const keys = range(12).map((index) => `aggregate-${index}-${randomBytes(3).toString('hex')}`);
      const keyed: SideMessage[] = keys.flatMap((key) => range(3).map((copy) => ({ topic: f().sideTopic, key, value: `${key}#${copy}` })));
      const appended = events('with-side', 2);

      const { firstOffset } = await writer.commit({ events: appended, messages: [...explicit, ...keyed] });
      expect(firstOffset).toBe(0);

      const side = await f().readSide(f().sideTopic, explicit.length + keyed.length);
      expect(side).toHaveLength(explicit.length + keyed.length);
      expect(sortSide(side.filter((record) => record.value.startsWith('explicit-')))).toEqual(asSideRecords(explicit));
      for (const key of keys) {
        const landed = side.filter((record) => record.key === key);
        expect(landed.map((record) => record.value)).toEqual(range(3).map((copy) => `${key}#${copy}`));
        expect(new Set(landed.map((record) => record.partition))).toEqual(new Set([f().partitionOfKey(key, f().sidePartitions)]));
      }
      expect(new Set(keyed.map((message) => f().partitionOfKey(message.key, f().sidePartitions))).size).toBeGreaterThan(1);

      await settledPast(1, firstOffset! + appended.length);
      expect((await readAll(1)).map((record) => record.value)).toEqual(appended.map((event) => event.value));
    });

    it('commits side messages without events: no first offset, nothing appended', async () => {
      const writer = await open(0);
      const messages = sideMarkers('alone');

      expect(await writer.commit({ events: [], messages })).toEqual({ firstOffset: undefined });

      expect(sortSide(await f().readSide(f().sideTopic, messages.length))).toEqual(asSideRecords(messages));
      expect(await readAll(0)).toEqual([]);
    });

    it('round-trips a commit of 2,000 events', async () => {
      const writer = await open(0);
      const big = range(2000).map((index) => ({ key: `big-${index % 37}`, value: `${index}:${randomBytes(50 + (index % 200)).toString('base64')}` }));

      const { firstOffset } = await writer.commit({ events: big, messages: sideMarkers('big') });
      await settledPast(0, firstOffset! + big.length);

      const all = await readAll(0);
      expect(all.length).toBe(big.length);
      expect(all.every((record, index) => record.offset === firstOffset! + index && record.value === big[index].value)).toBe(true);
      const middle = await readRange(0, firstOffset! + 700, firstOffset! + 1300);
      expect(middle.map((record) => record.offset)).toEqual(range(600).map((index) => firstOffset! + 700 + index));
    }, 90_000);

    it('reads every record after 200 small transactions, and terminates, also from past the last record', async () => {
      const writer = await open(1);
      const firsts: number[] = [];
      for (let index = 0; index < 200; index++) {
        const { firstOffset } = await writer.commit({ events: [{ key: `k${index % 7}`, value: `small-${index}` }], messages: [] });
        firsts.push(firstOffset!);
      }
      const { start, end } = await settledPast(1, firsts[199] + 1);

      expect(await readRange(1, start, end).then((records) => records.map(text))).toEqual(firsts.map((offset, index) => ({ offset, value: `small-${index}` })));
      // Ranges that hold no event at all (only what the backend keeps between transactions) still end.
      if (firsts[199] + 1 < end) expect(await readRange(1, firsts[199] + 1, end)).toEqual([]);
      for (let index = 0; index < 199; index++) {
        if (firsts[index] + 1 < firsts[index + 1]) {
          expect(await readRange(1, firsts[index] + 1, firsts[index + 1])).toEqual([]);
          break;
        }
      }
      // A range that ends between transactions, and one that starts there.
      expect((await readRange(1, firsts[50], firsts[60])).map((record) => record.offset)).toEqual(firsts.slice(50, 60));
      expect((await readRange(1, firsts[189] + 1, end)).map((record) => record.offset)).toEqual(firsts.slice(190));
    }, 90_000);

    it('ends a read with the error thrown by onRecords, delivering nothing more', async () => {
      const writer = await open(0);
      const { firstOffset } = await writer.commit({ events: events('x', 3), messages: [] });
      const { end } = await settledPast(0, firstOffset! + 3);
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

function text(record: StreamRecord): { offset: number; value: string | null } {
  return { offset: record.offset, value: record.value === null ? null : record.value.toString('utf8') };
}

function sortSide(records: SideRecord[]): SideRecord[] {
  return [...records].sort((a, b) => a.partition - b.partition || a.key.localeCompare(b.key) || a.value.localeCompare(b.value));
}


