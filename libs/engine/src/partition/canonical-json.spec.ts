import { canonicalJson, sha256 } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys', () => expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}'));

  it('gives the same text whatever the key order, at every depth', () => {
    const one = { z: { y: 1, x: [{ q: 1, p: 2 }] }, a: null };
    const other = { a: null, z: { x: [{ p: 2, q: 1 }], y: 1 } };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(canonicalJson(one)).toBe('{"a":null,"z":{"x":[{"p":2,"q":1}],"y":1}}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ list: ['b', 'a'] })).not.toBe(canonicalJson({ list: ['a', 'b'] }));
  });

  it('sorts objects nested in arrays in arrays', () => expect(canonicalJson([[{ b: 1, a: { d: 1, c: 2 } }]])).toBe('[[{"a":{"c":2,"d":1},"b":1}]]'));

  it('tells different values apart', () => expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' })));

  it('writes primitives as JSON does', () => {
    for (const value of ['text', 42, true, null]) expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('drops undefined properties as JSON does', () => expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}'));

  it('parses back to an equal value', () => {
    const value = { tuples: [['alice', { holds: { h2: { amount: 1 }, h1: { amount: 2 } }, balance: 3 }]] };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('sha256', () => {
  it('hashes text to lowercase hex', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('canonicalJson against JSON.stringify', () => {
  it('writes what JSON.stringify writes for values whose keys are already sorted', () => {
    const values: unknown[] = [
      { a: [1, 'x', null, true, { b: -0.5, c: 'é"\\\n' }], d: {}, e: [] },
      [undefined, () => 1, Symbol('s'), NaN, Infinity],
      { a: undefined, b: () => 1, c: 2 },
      { at: new Date(0) },
      'text',
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });
});
