import { isStorableTime, storableText, storableValue } from './storable';

describe('storable text', () => {
  it('replaces a lone surrogate and NUL with U+FFFD, and keeps whole characters', () => {
    expect(storableText('a\ud800b\udc00c\0d')).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(storableText('sword 🗡')).toBe('sword 🗡');
  });

  it('makes every string of a JSON value, keys too, one that JSON.stringify writes without the escapes jsonb refuses', () => {
    const stored = JSON.stringify(storableValue({ transferId: 'p:\ud800', items: { ['x\udfff']: 1 }, list: ['\0', 2, null, true] }));
    expect(stored).not.toMatch(/\\u(d[89a-f]|0000)/i);
    expect(JSON.parse(stored)).toEqual({ transferId: 'p:\ufffd', items: { 'x\ufffd': 1 }, list: ['\ufffd', 2, null, true] });
  });

  it('takes as a time only a finite epoch in years 1 to 9999', () => {
    expect(isStorableTime(Date.UTC(2026, 11, 6))).toBe(true);
    expect(isStorableTime(-1)).toBe(true);
    for (const at of [NaN, Infinity, 8.64e15, -8.64e15, '2026-12-06', null, undefined]) expect(isStorableTime(at)).toBe(false);
  });
});
