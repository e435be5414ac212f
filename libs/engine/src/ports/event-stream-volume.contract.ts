import { randomBytes } from 'node:crypto';
import { within } from './contract-tests.testing';
import { ContractIt, EventStreamKit, causes, range, events, text, READ_MS } from './event-stream-kit.testing';

/** Part of the EventStream contract. Many records and many appends, and a read ended by its own callback. */
export function eventStreamVolumeTests(it: ContractIt, kit: EventStreamKit): void {
  const { stream, open, settledPast, readRange, readAll } = kit;

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
        .then(
          () => 'resolved',
          (error: unknown) => error,
        ),
    );

    // The error itself, or an error caused by it.
    expect(causes(outcome)).toContain(boom);
    expect(calls).toHaveLength(1);
  });
}
