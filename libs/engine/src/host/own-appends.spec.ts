import { WriterFencedError } from '../errors/engine-errors';
import { StreamRecord } from '../ports/event-stream';
import { isClaim, OwnAppends } from './own-appends';

/** This owner claimed the partition at offset 10, so an append right after the claim starts at 11. */
const CLAIM = 10;
const LABEL = 'accounts[3]';
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
/** A record of an older owner that still appends (a zombie): foreign, but no claim. */
const zombie = (offset: number): StreamRecord => ({ offset, value: json({ type: 'outcome', claim: 7, commandId: `z${offset}` }) });
const claimBy = (owner: string, offset: number): StreamRecord => ({ offset, value: json({ type: 'claim', owner }) });

/** An OwnAppends whose gap reads are answered from `log` and recorded as [from, to). */
function ownTail(log: StreamRecord[] = []) {
  const reads: [number, number][] = [];
  const tail = new OwnAppends(CLAIM, LABEL, async (from, to) => {
    reads.push([from, to]);
    return log.filter(({ offset }) => from <= offset && offset < to);
  });
  return { tail, reads };
}

/** What `promise` rejected with; fails the test if it resolved. */
async function rejection(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but it resolved');
    },
    (error: unknown) => error,
  );
}

describe('OwnAppends.counted', () => {
  it('given appends each right after the one before, when counted, then all count without any read', async () => {
    // A claim in the log would fence, were it read: contiguous appends must not read at all.
    const { tail, reads } = ownTail([claimBy('B', 12)]);

    await expect(tail.counted(11, 13)).resolves.toBeUndefined();
    await expect(tail.counted(14, 14)).resolves.toBeUndefined();
    await expect(tail.counted(15, 20)).resolves.toBeUndefined();

    expect(reads).toEqual([]);
  });

  it('given a gap holding only a zombie’s records, when counted, then the exact gap is read once and the append counts', async () => {
    const { tail, reads } = ownTail([zombie(11), zombie(12), zombie(13)]);

    await expect(tail.counted(14, 15)).resolves.toBeUndefined();

    expect(reads).toEqual([[11, 14]]);
  });

  it('given a counted gap, when the next append follows on, then it needs no read, and a later gap is read from after it', async () => {
    const { tail, reads } = ownTail([zombie(11), zombie(12), zombie(20), zombie(21)]);
    await tail.counted(13, 17);

    await expect(tail.counted(18, 19)).resolves.toBeUndefined();
    expect(reads).toEqual([[11, 13]]);

    await expect(tail.counted(22, 22)).resolves.toBeUndefined();
    expect(reads).toEqual([
      [11, 13],
      [20, 22],
    ]);
  });

  it('given a newer claim in the gap, when counted, then it rejects with WriterFencedError naming the claim’s offset', async () => {
    const { tail, reads } = ownTail([zombie(11), zombie(12), claimBy('B', 13), zombie(14)]);
    await tail.counted(11, 11);

    const error = await rejection(tail.counted(15, 16));

    expect(error).toBeInstanceOf(WriterFencedError);
    expect((error as Error).message).toBe(`${LABEL}: claimed by a newer owner at offset 13 (this owner claimed at ${CLAIM})`);
    expect(reads).toEqual([[12, 15]]);
  });

  it('given an append that starts before where the previous one ended, when counted, then it rejects with a plain Error', async () => {
    const { tail, reads } = ownTail();
    await tail.counted(11, 13);

    const error = await rejection(tail.counted(13, 14));

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WriterFencedError);
    expect((error as Error).message).toBe(`${LABEL}: append at 13 overlaps what this owner appended up to 13`);
    // The claim itself is no place for an append either.
    await expect(ownTail().tail.counted(CLAIM, CLAIM)).rejects.toThrow(`${LABEL}: append at ${CLAIM} overlaps`);
    expect(reads).toEqual([]);
  });

  it('given a gap that cannot be read, when counted, then it rejects with the read’s error', async () => {
    const broken = new Error('broker unreachable');
    const tail = new OwnAppends(CLAIM, LABEL, () => Promise.reject(broken));

    await expect(tail.counted(12, 12)).rejects.toBe(broken);
  });
});

describe('isClaim', () => {
  const text = (value: string) => Buffer.from(value, 'utf8');

  it.each([
    ['a claim as written', json({ type: 'claim', owner: 'B' })],
    ['a claim with its keys in another order', text('{"owner":"B","type":"claim"}')],
    ['a claim with whitespace', text('{ "type" : "claim" }')],
  ])('given %s, then it is a claim', (_, value) => {
    expect(isClaim(value)).toBe(true);
  });

  it.each([
    ['no value', null],
    ['another record type', json({ type: 'outcome', owner: 'claim' })],
    ['a type that only starts like claim', json({ type: 'claims' })],
    ['another record type with its keys in another order', text('{"owner":"B","type":"outcome"}')],
    // Decided by its prefix alone: parsed, the later duplicate key would make it a claim.
    ['another type first, whatever follows', text('{"type":"outcome","type":"claim"}')],
    ['a truncated claim', text('{"type":"claim"')],
    ['text that is not JSON', text('claim')],
    ['empty', text('')],
    ['JSON null', json(null)],
    ['a JSON string', json('claim')],
    ['a JSON array', json([{ type: 'claim' }])],
    ['an object without a type', json({ owner: 'B' })],
  ])('given %s, then it is no claim', (_, value) => {
    expect(isClaim(value)).toBe(false);
  });
});
