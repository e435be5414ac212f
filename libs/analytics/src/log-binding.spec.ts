import { batchRefutation, logRefutation, recordDigest } from './log-binding';

const value = (text: string) => Buffer.from(text);
const bound = { nextOffset: 10, last: { offset: 9, digest: recordDigest(value('old record 9')) } };

describe('binding a projected position to its log', () => {
  it('confirms a log that still holds the record the position was read from', () => {
    expect(logRefutation(bound, { start: 0, end: 12, atBinding: { offset: 9, value: value('old record 9') } })).toBeUndefined();
    expect(logRefutation({ nextOffset: 0 }, { start: 0, end: 0 })).toBeUndefined();
  });

  it('refutes a log replaced under the same name: another record there, none there, or one that ends before the position', () => {
    expect(logRefutation(bound, { start: 0, end: 50, atBinding: { offset: 9, value: value('new record 9') } })).toMatch(
      /^log replaced: the record at offset 9/,
    );
    expect(logRefutation(bound, { start: 0, end: 50 })).toMatch(/^log replaced: it holds no record at offset 9/);
    expect(logRefutation(bound, { start: 0, end: 4 })).toMatch(/^log replaced: it ends at offset 4, before the 10 offsets/);
    // A position stored before positions were bound is judged by the offsets alone.
    expect(logRefutation({ nextOffset: 10 }, { start: 0, end: 4 })).toMatch(/^log replaced/);
    expect(logRefutation({ nextOffset: 10 }, { start: 0, end: 10 })).toBeUndefined();
  });

  it('refutes a log whose records up to past the position were deleted, and one that lost the bound record', () => {
    expect(logRefutation(bound, { start: 15, end: 20 })).toMatch(
      /^records deleted: the log starts at offset 15, past the stored position 10; offsets 10 to 14/,
    );
    expect(logRefutation(bound, { start: 10, end: 20 })).toMatch(/the record at offset 9 the position was read from is gone/);
  });

  it('refutes a batch that spans the bound offset with another record, and judges none that starts past it or ends before it', () => {
    const records = (from: number, to: number, prefix: string) =>
      Array.from({ length: to - from }, (_, index) => ({ offset: from + index, timestamp: 0, value: value(`${prefix} record ${from + index}`) }));
    expect(batchRefutation(bound, 0, records(0, 20, 'old'))).toBeUndefined();
    expect(batchRefutation(bound, 0, records(0, 20, 'new'))).toMatch(/^log replaced: the record at offset 9/);
    expect(batchRefutation(bound, 0, [...records(0, 9, 'old'), ...records(10, 12, 'old')])).toMatch(/holds no record at offset 9/);
    expect(batchRefutation(bound, 0, records(0, 5, 'new'))).toBeUndefined();
    expect(batchRefutation(bound, 10, records(10, 20, 'new'))).toBeUndefined();
  });
});
