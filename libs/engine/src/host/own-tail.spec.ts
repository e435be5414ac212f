import { StreamRecord, WriterFencedError } from '../ports/event-stream';
import { OwnTail } from './own-tail';

/** This owner claimed the partition at offset 10. */
const CLAIM = 10;
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const mine = (offset: number): StreamRecord => ({ offset, value: json({ type: 'outcome', claim: CLAIM, commandId: `c${offset}` }) });
const claimBy = (owner: string, offset: number): StreamRecord => ({ offset, value: json({ type: 'claim', owner }) });
const mines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => mine(from + index));

function ownTail() {
  const fenced: WriterFencedError[] = [];
  const tail = new OwnTail(CLAIM, 'accounts[3]', (error) => fenced.push(error));
  return { tail, fenced };
}

/** What a promise has come to so far, readable without awaiting it. */
function watch(promise: Promise<void>) {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (seen.state = 'resolved'),
    (error: unknown) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
}
const settled = () => new Promise((resolve) => setImmediate(resolve));

const fencedAt = (offset: number) => `accounts[3]: claimed by a newer owner at offset ${offset} (this owner claimed at ${CLAIM})`;

describe('OwnTail', () => {
  describe('counted', () => {
    it('resolves when the append was read back before the call', async () => {
      const { tail } = ownTail();
      tail.onRecords(mines(11, 13));
      await expect(tail.counted(12, 13)).resolves.toBeUndefined();
    });

    it('resolves once the last offset of the append is read back, not before', async () => {
      const { tail } = ownTail();
      const wait = watch(tail.counted(11, 13));
      tail.onRecords(mines(11, 12));
      await settled();
      expect(wait.state).toBe('pending');
      tail.onRecords([mine(13)]);
      await settled();
      expect(wait.state).toBe('resolved');
    });

    it('resolves several waits in one delivery, leaving later ones waiting', async () => {
      const { tail } = ownTail();
      const waits = [watch(tail.counted(11, 11)), watch(tail.counted(12, 14)), watch(tail.counted(15, 15))];
      tail.onRecords(mines(11, 14));
      await settled();
      expect(waits.map(({ state }) => state)).toEqual(['resolved', 'resolved', 'pending']);
    });

    it('rejects with WriterFencedError when a newer claim lies before the append', async () => {
      const { tail } = ownTail();
      tail.onRecords([mine(11), claimBy('B', 12), mine(13)]);
      await expect(tail.counted(13, 13)).rejects.toThrow(new WriterFencedError(fencedAt(12)));
      await expect(tail.counted(13, 13)).rejects.toBeInstanceOf(WriterFencedError);
    });

    it('rejects a waiting append as soon as a newer claim before it is read, without waiting for the append itself', async () => {
      const { tail } = ownTail();
      const wait = watch(tail.counted(14, 15));
      tail.onRecords([mine(11), claimBy('B', 12)]);
      await settled();
      expect(wait).toEqual({ state: 'rejected', error: expect.any(WriterFencedError) });
      expect((wait.error as Error).message).toBe(fencedAt(12));
    });

    it('resolves an append read back before a newer claim: it counts, and the newer owner replays it', async () => {
      const { tail } = ownTail();
      const before = watch(tail.counted(11, 12));
      tail.onRecords([...mines(11, 12), claimBy('B', 13)]);
      await settled();
      expect(before.state).toBe('resolved');
      await expect(tail.counted(11, 12)).resolves.toBeUndefined();
    });
  });

  describe('what it reads', () => {
    it('ignores records at or before its own claim, a claim among them', async () => {
      const { tail, fenced } = ownTail();
      const wait = watch(tail.counted(11, 11));
      tail.onRecords([claimBy('A', 8), mine(9), claimBy('me', CLAIM)]);
      await settled();
      expect(wait.state).toBe('pending');
      expect(fenced).toEqual([]);
      tail.onRecords([mine(11)]);
      await settled();
      expect(wait.state).toBe('resolved');
    });

    it('ignores records delivered again', async () => {
      const { tail, fenced } = ownTail();
      tail.onRecords(mines(11, 12));
      // A redelivery cannot change what offset 12 held: a claim there now is not read.
      tail.onRecords([mine(11), claimBy('B', 12)]);
      expect(fenced).toEqual([]);
      await expect(tail.counted(12, 12)).resolves.toBeUndefined();
    });

    it('does not take empty values, text that is not JSON, or other record types for a claim', async () => {
      const { tail, fenced } = ownTail();
      tail.onRecords([
        { offset: 11, value: null },
        { offset: 12, value: Buffer.from('{"type":"claim"') },
        { offset: 13, value: json({ type: 'checkpoint', claim: 'claim' }) },
        { offset: 14, value: json('claim') },
        mine(15),
      ]);
      expect(fenced).toEqual([]);
      await expect(tail.counted(15, 15)).resolves.toBeUndefined();
    });
  });

  describe('onFenced', () => {
    it('is called once, with the first newer claim, however many follow or are delivered again', async () => {
      const { tail, fenced } = ownTail();
      tail.onRecords([mine(11), claimBy('B', 12)]);
      tail.onRecords([claimBy('B', 12), mine(13), claimBy('C', 14)]);
      tail.onRecords([claimBy('D', 15)]);
      expect(fenced).toHaveLength(1);
      expect(fenced[0]).toBeInstanceOf(WriterFencedError);
      expect(fenced[0].message).toBe(fencedAt(12));
      await expect(tail.counted(16, 16)).rejects.toThrow(fencedAt(12));
    });

    it('is not called while only this owner appends', () => {
      const { tail, fenced } = ownTail();
      tail.onRecords(mines(11, 20));
      expect(fenced).toEqual([]);
    });
  });

  describe('fail', () => {
    const broken = new Error('follower lost the broker');

    it('rejects waits not read back yet with the failure, and resolves those already read back', async () => {
      const { tail } = ownTail();
      const [read, unread] = [watch(tail.counted(11, 12)), watch(tail.counted(13, 14))];
      tail.onRecords(mines(11, 13));
      tail.fail(broken);
      await settled();
      expect(read.state).toBe('resolved');
      expect(unread).toEqual({ state: 'rejected', error: broken });
    });

    it('rejects later waits not read back with the first failure, but resolves later waits already read back', async () => {
      const { tail } = ownTail();
      tail.onRecords(mines(11, 12));
      tail.fail(broken);
      tail.fail(new Error('closed'));
      await expect(tail.counted(11, 12)).resolves.toBeUndefined();
      await expect(tail.counted(13, 13)).rejects.toBe(broken);
    });

    it('leaves fencing as the reason when a newer claim lies before the append', async () => {
      const { tail } = ownTail();
      tail.onRecords([claimBy('B', 11)]);
      tail.fail(broken);
      await expect(tail.counted(12, 12)).rejects.toBeInstanceOf(WriterFencedError);
    });
  });
});
