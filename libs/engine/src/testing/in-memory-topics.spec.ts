import { InMemoryEventStream, InMemoryTopics } from '@app/engine/testing';

/** What the contracts do not cover: a log whose beginning was deleted, and faults a test injects. */
describe('InMemoryTopics', () => {
  let topics: InMemoryTopics;

  beforeEach(() => {
    topics = new InMemoryTopics();
    topics.create('t.events', 2);
  });

  const values = (count: number) => Array.from({ length: count }, (_, index) => ({ key: `k${index}`, value: `v${index}` }));

  it('keeps offsets after records before an offset are deleted; bounds start there and reads before it are refused', async () => {
    topics.append('t.events', 0, values(10));
    const stream = new InMemoryEventStream(topics, 't.events', { readChunkRecords: 3 });

    topics.deleteBefore('t.events', 0, 4);

    expect(await stream.bounds(0)).toEqual({ start: 4, end: 10 });
    const read: number[] = [];
    await stream.read(0, 4, 10, (records) => void read.push(...records.map((record) => record.offset)));
    expect(read).toEqual([4, 5, 6, 7, 8, 9]);
    await expect(stream.read(0, 3, 10, () => undefined)).rejects.toThrow(/log holds 4\.\.9/);
    expect(topics.append('t.events', 0, values(1))).toBe(10);
    // Never back, never past the end.
    topics.deleteBefore('t.events', 0, 2);
    topics.deleteBefore('t.events', 0, 50);
    expect(await stream.bounds(0)).toEqual({ start: 11, end: 11 });
    expect(await stream.bounds(1)).toEqual({ start: 0, end: 0 });
  });

  it('refuses writes to a topic or one partition while told to, storing nothing, and takes them again after', () => {
    topics.refuseWrites('t.events', { partition: 1, reason: 'full' });

    expect(() => topics.append('t.events', 1, values(2))).toThrow('t.events[1] refuses writes: full');
    expect(topics.append('t.events', 0, values(2))).toBe(0);
    topics.refuseWrites('t.events');
    expect(() => topics.append('t.events', 0, values(1))).toThrow(/refuses writes/);
    topics.acceptWrites('t.events');
    expect(topics.append('t.events', 1, values(1))).toBe(0);
    expect(topics.end('t.events', 0)).toBe(2);
  });
});
