import { digest64, MultisetDigest } from './multiset-digest';

function digestOf(entries: Map<string, string>): MultisetDigest {
  const digest = new MultisetDigest((key) => (entries.has(key) ? `${key}=${entries.get(key)}` : undefined));
  for (const key of entries.keys()) digest.touch(key);
  return digest;
}

describe('digest64', () => {
  it('is stable and tells near-identical texts apart', () => {
    expect(digest64('balance:100')).toEqual(digest64('balance:100'));
    expect(digest64('balance:100')).not.toEqual(digest64('balance:101'));
    expect(digest64('ab')).not.toEqual(digest64('ba'));
  });
});

describe('MultisetDigest', () => {
  it('given entries touched in any order, when read, then the value is the same', () => {
    const entries = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const reversed = new MultisetDigest((key) => (entries.has(key) ? `${key}=${entries.get(key)}` : undefined));
    for (const key of ['c', 'b', 'a']) reversed.touch(key);
    expect(reversed.value()).toBe(digestOf(entries).value());
  });

  it('given a digest read once, when entries change, are added and removed, then it equals one built from scratch', () => {
    const entries = new Map(Array.from({ length: 100 }, (_, index) => [`k${index}`, String(index)]));
    const incremental = digestOf(entries);
    incremental.value();
    entries.set('k5', 'changed');
    entries.delete('k7');
    entries.set('new', 'x');
    for (const key of ['k5', 'k7', 'new']) incremental.touch(key);
    expect(incremental.value()).toBe(digestOf(entries).value());
  });

  it('given an entry changed and changed back, when read, then the value is what it was', () => {
    const entries = new Map([['a', '1']]);
    const digest = digestOf(entries);
    const before = digest.value();
    entries.set('a', '2');
    digest.touch('a');
    expect(digest.value()).not.toBe(before);
    entries.set('a', '1');
    digest.touch('a');
    expect(digest.value()).toBe(before);
  });

  it('given an entry added and removed between reads, when read, then it leaves no trace', () => {
    const entries = new Map([['a', '1']]);
    const digest = digestOf(entries);
    const before = digest.value();
    entries.set('b', '2');
    digest.touch('b');
    entries.delete('b');
    expect(digest.value()).toBe(before);
  });
});
