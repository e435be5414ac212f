import { randomBytes } from 'node:crypto';
import { WriterFencedError } from '../errors/engine-errors';
import { SideMessage } from './event-stream';
import { within } from './contract-tests.testing';
import { ContractIt, EventStreamKit, range, events, at, sortSide, READ_MS } from './event-stream-kit.testing';

/** Part of the EventStream contract. Side messages: partitioning, partition counts, and the writer that a failed send leaves unusable. */
export function eventStreamSideMessageTests(it: ContractIt, kit: EventStreamKit): void {
  const { f, stream, open, settledPast, readAll, sideMarkers, asSideRecords } = kit;

  it('sends side messages: explicit partitions honoured, keys by the shared partitioner, order per partition kept', async () => {
    const writer = await open(1);
    const explicit: SideMessage[] = range(f().sidePartitions).flatMap((partition) =>
      range(2).map((copy) => ({
        topic: f().sideTopic,
        partition: f().sidePartitions - 1 - partition,
        key: 'same-key-everywhere',
        value: `explicit-${partition}-${copy}`,
      })),
    );
    const keys = range(12).map((index) => `aggregate-${index}-${randomBytes(3).toString('hex')}`);
    // Three calls in flight together, two copies of every key in each.
    const rounds: SideMessage[][] = range(3).map((round) =>
      keys.flatMap((key) => range(2).map((copy) => ({ topic: f().sideTopic, key, value: `${key}#${round}.${copy}` }))),
    );

    await within(READ_MS, 'the sends', () => Promise.all([writer.send(explicit), ...rounds.map((messages) => writer.send(messages))]));

    const count = explicit.length + rounds.flat().length;
    const side = await f().readSide(f().sideTopic, count);
    expect(side).toHaveLength(count);
    expect(sortSide(side.filter((record) => record.value.startsWith('explicit-')))).toEqual(asSideRecords(explicit));
    for (const partition of range(f().sidePartitions)) {
      const ownValues = (records: { partition?: number; value: string }[]) =>
        records.filter((record) => record.partition === partition).map((record) => record.value);
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
      writer.send([{ topic: f().sideTopic, partition: 2, key: 'refused-explicit', value: 'refused-explicit' }, refused]).then(
        () => undefined,
        (reason: unknown) => reason,
      ),
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
}
