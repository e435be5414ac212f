import { SideMessage } from './event-stream';
import { within } from './contract-tests.testing';
import { ContractIt, EventStreamKit, range, events, at, SETTLE_MS, READ_MS } from './event-stream-kit.testing';

/** Part of the EventStream contract. Writers: partitions kept apart, several writers of a partition, concurrent calls of one writer. */
export function eventStreamWriterTests(it: ContractIt, kit: EventStreamKit): void {
  const { f, stream, open, settledPast, readAll } = kit;

  it('keeps partitions independent: offsets, contents and writers', async () => {
    const [zero, one] = await Promise.all([open(0), open(1)]);
    const written: Record<number, string[]> = { 0: [], 1: [] };

    for (let round = 0; round < 4; round++) {
      for (const [partition, writer] of [
        [0, zero],
        [1, one],
      ] as const) {
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
    const [aOffsets, bOffsets] = await Promise.all([
      Promise.all(aBatches.map((batch) => a.append(batch))),
      Promise.all(bBatches.map((batch) => b.append(batch))),
    ]);
    const total = [...aBatches, ...bBatches].reduce((sum, batch) => sum + batch.length, 0);
    await settledPast(0, total);

    const log = await readAll(0);
    expect(log.map((record) => record.offset)).toEqual(range(total));
    for (const [batches, offsets] of [
      [aBatches, aOffsets],
      [bBatches, bOffsets],
    ] as const) {
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
      const valuesOn = (records: { partition?: number; value: string }[]) =>
        records.filter((record) => record.partition === partition).map((record) => record.value);
      expect(valuesOn(side)).toEqual(valuesOn(sent));
    }
  });

  it('refuses an empty append', async () => {
    const writer = await open(0);

    await expect(within(SETTLE_MS, 'an empty append', () => writer.append([]))).rejects.toThrow();

    expect(await stream().bounds(0)).toEqual({ start: 0, end: 0 });
  });
}
