import { decodeHistoryCursor, encodeHistoryCursor, HistoryCursor } from './history-cursor';

describe('history cursor', () => {
  const cursor: HistoryCursor = { at: '2026-12-06T05:34:12.345Z', service: 'zone', topic: 'x.zone.events', partition: 3, offset: 41, index: 2 };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads back what it wrote, as an opaque url-safe string', () => {
    const text = encodeHistoryCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeHistoryCursor(text)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['an id of the old cursors', '1234'],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('[1,').toString('base64url')],
    ['too short', encode(['2026-12-06T05:34:12.345Z', 'zone', 'x', 3, 41])],
    ['a time that is no date', encode(['yesterday', 'zone', 'x', 3, 41, 2])],
    ['a time not as stored', encode(['2026-12-06', 'zone', 'x', 3, 41, 2])],
    ['a negative offset', encode(['2026-12-06T05:34:12.345Z', 'zone', 'x', 3, -1, 2])],
    ['a fractional partition', encode(['2026-12-06T05:34:12.345Z', 'zone', 'x', 0.5, 41, 2])],
    ['an empty service', encode(['2026-12-06T05:34:12.345Z', '', 'x', 3, 41, 2])],
    ['too long', 'A'.repeat(1025)],
    ['a time of year 0, which PostgreSQL refuses', encode(['0000-01-01T00:00:00.000Z', 'zone', 'x', 3, 41, 2])],
    ['a time past year 9999', encode(['+275760-09-13T00:00:00.000Z', 'zone', 'x', 3, 41, 2])],
    ['a NUL in a name', encode(['2026-12-06T05:34:12.345Z', 'zo\u0000ne', 'x', 3, 41, 2])],
    ['a lone surrogate in a name', encode(['2026-12-06T05:34:12.345Z', 'zone', 'x\ud800', 3, 41, 2])],
  ])('refuses one that is %s', (_name, text) => {
    expect(decodeHistoryCursor(text)).toBeUndefined();
  });
});
