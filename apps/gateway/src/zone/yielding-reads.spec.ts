import { EventStream, StreamRecord } from '@app/engine';
import { yieldingReads } from './yielding-reads';

const records = (count: number): StreamRecord[] => Array.from({ length: count }, (_, offset) => ({ offset, value: null }));

/** A stream whose read hands every record over in one chunk, as one large Kafka fetch does. */
const oneChunk = (count: number): EventStream => ({
  name: 'zone.events',
  openWriter: () => Promise.reject(new Error('read only')),
  bounds: () => Promise.resolve({ start: 0, end: count }),
  partitionCount: () => Promise.resolve(1),
  read: async (_partition, _from, _to, onRecords) => onRecords(records(count)),
});

describe('yielding reads', () => {
  it('hands a large chunk on in slices, letting the event loop turn between them', async () => {
    const seen: string[] = [];
    const read = yieldingReads(oneChunk(5), 2).read(0, 0, 5, (slice) => {
      seen.push(slice.map((record) => record.offset).join(','));
      // Work queued by others while a slice is handled runs before the next slice.
      setImmediate(() => seen.push('other work'));
    });
    await read;
    expect(seen).toEqual(['0,1', 'other work', '2,3', 'other work', '4']);
  });

  it('stops at a receiver that throws (how a rebuild ends a read), delivering nothing after it', async () => {
    const seen: number[] = [];
    const enough = new Error('enough');
    const read = yieldingReads(oneChunk(6), 2).read(0, 0, 6, (slice) => {
      seen.push(...slice.map((record) => record.offset));
      if (seen.length >= 3) throw enough;
    });
    await expect(read).rejects.toBe(enough);
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});
