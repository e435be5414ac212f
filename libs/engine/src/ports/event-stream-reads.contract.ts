import { StreamRecord } from './event-stream';
import { within } from './contract-tests.testing';
import { ContractIt, EventStreamKit, events, at, text, SETTLE_MS, READ_MS } from './event-stream-kit.testing';

/** Part of the EventStream contract. Appends and reads: offsets, exact bytes, bounds and sub-ranges. */
export function eventStreamReadTests(it: ContractIt, kit: EventStreamKit): void {
  const { f, stream, open, settledPast, readRange, readAll } = kit;

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
}
