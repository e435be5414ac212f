import { DedupeWindow } from './dedupe-window';
import { Outcome } from './records';

const ok = (reply: unknown): Outcome => ({ ok: true, reply });

describe('DedupeWindow', () => {
  it.each([0, -1, 1.5, NaN, Infinity])('refuses capacity %p', (capacity) =>
    expect(() => new DedupeWindow(capacity)).toThrow(`dedupe capacity must be a positive integer, got ${capacity}`));

  it('accepts a capacity of one', () => {
    const window = new DedupeWindow(1);
    window.remember('a', ok(1));
    window.remember('b', ok(2));
    expect(window.entries()).toEqual([['b', ok(2)]]);
  });

  it('returns the remembered outcome, and nothing for an unknown id', () => {
    const window = new DedupeWindow(3);
    window.remember('a', ok(1));
    window.remember('b', { ok: false, rejection: { code: 'c', message: 'm' } });
    expect(window.outcomeOf('a')).toEqual(ok(1));
    expect(window.outcomeOf('b')).toEqual({ ok: false, rejection: { code: 'c', message: 'm' } });
    expect(window.outcomeOf('z')).toBeUndefined();
  });

  it('evicts the oldest first once over capacity', () => {
    const window = new DedupeWindow(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) window.remember(id, ok(id));
    expect(window.size).toBe(3);
    expect(window.entries().map(([id]) => id)).toEqual(['c', 'd', 'e']);
    expect(window.outcomeOf('a')).toBeUndefined();
    expect(window.outcomeOf('b')).toBeUndefined();
    expect(window.outcomeOf('c')).toEqual(ok('c'));
  });

  it('evicts by age of remembering, not by last lookup', () => {
    const window = new DedupeWindow(2);
    window.remember('a', ok('a'));
    window.remember('b', ok('b'));
    window.outcomeOf('a');
    window.remember('c', ok('c'));
    expect(window.entries().map(([id]) => id)).toEqual(['b', 'c']);
  });

  it('keeps only the newest of initial entries beyond capacity, in order', () => {
    const window = new DedupeWindow(2, [
      ['a', ok('a')],
      ['b', ok('b')],
      ['c', ok('c')],
    ]);
    expect(window.entries()).toEqual([
      ['b', ok('b')],
      ['c', ok('c')],
    ]);
  });

  it('hands out a copy of its entries', () => {
    const window = new DedupeWindow(2);
    window.remember('a', ok('a'));
    window.entries().pop();
    expect(window.size).toBe(1);
  });
});
