import { LineSplitter, OVERSIZED } from './line-splitter';

/** Every line the splitter gives now, OVERSIZED included. */
function drain(splitter: LineSplitter): (string | typeof OVERSIZED)[] {
  const lines: (string | typeof OVERSIZED)[] = [];
  for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
    lines.push(line);
    if (line === OVERSIZED) break;
  }
  return lines;
}

describe('LineSplitter', () => {
  it('gives several lines of one chunk one at a time, and nothing for an unfinished one', () => {
    const splitter = new LineSplitter(100);
    splitter.push(Buffer.from('{"i":1}\n{"i":2}\n{"i"'));
    expect(splitter.next()).toBe('{"i":1}');
    expect(splitter.next()).toBe('{"i":2}');
    expect(splitter.next()).toBeUndefined();
    splitter.push(Buffer.from(':3}\n'));
    expect(drain(splitter)).toEqual(['{"i":3}']);
  });

  it('joins a line split over many chunks', () => {
    const splitter = new LineSplitter(100);
    for (const piece of ['{"q":', '"abc', 'def"', '}']) {
      splitter.push(Buffer.from(piece));
      expect(splitter.next()).toBeUndefined();
    }
    splitter.push(Buffer.from('\n'));
    expect(drain(splitter)).toEqual(['{"q":"abcdef"}']);
  });

  it('decodes a multi-byte character split between chunks whole', () => {
    const bytes = Buffer.from('{"q":"é€😀"}\n');
    const splitter = new LineSplitter(100);
    const lines: unknown[] = [];
    // One byte per chunk cuts every multi-byte character.
    for (const byte of bytes) {
      splitter.push(Buffer.from([byte]));
      lines.push(...drain(splitter));
    }
    expect(lines).toEqual(['{"q":"é€😀"}']);
  });

  it('keeps lines it was not asked for until they are asked for, with chunks arriving meanwhile', () => {
    const splitter = new LineSplitter(100);
    splitter.push(Buffer.from('a\nb\n'));
    expect(splitter.next()).toBe('a');
    splitter.push(Buffer.from('c\nd'));
    splitter.push(Buffer.from('\n'));
    expect(drain(splitter)).toEqual(['b', 'c', 'd']);
  });

  it('gives an empty line as one (the reader decides it is no frame)', () => {
    const splitter = new LineSplitter(100);
    splitter.push(Buffer.from('\nx\n'));
    expect(drain(splitter)).toEqual(['', 'x']);
  });

  it('accepts a line of exactly the limit and refuses one byte more', () => {
    const exact = new LineSplitter(4);
    exact.push(Buffer.from('abcd\n'));
    expect(drain(exact)).toEqual(['abcd']);

    const over = new LineSplitter(4);
    over.push(Buffer.from('ab'));
    over.push(Buffer.from('cde\nok\n'));
    expect(drain(over)).toEqual([OVERSIZED]);
  });

  it('refuses an unfinished line once it is longer than the limit, and stays refusing', () => {
    const splitter = new LineSplitter(4);
    splitter.push(Buffer.from('abc'));
    expect(splitter.next()).toBeUndefined();
    splitter.push(Buffer.from('de'));
    expect(splitter.next()).toBe(OVERSIZED);
    splitter.push(Buffer.from('\nok\n'));
    expect(splitter.next()).toBe(OVERSIZED);
  });

  it('counts bytes, not characters', () => {
    const splitter = new LineSplitter(4);
    splitter.push(Buffer.from('ééé\n')); // 6 bytes
    expect(splitter.next()).toBe(OVERSIZED);
  });
});
