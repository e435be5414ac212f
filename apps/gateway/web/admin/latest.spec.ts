import { Latest } from './latest';

describe('Latest', () => {
  it('makes every task before the one begun last stale', () => {
    const latest = new Latest();
    const first = latest.begin();
    const second = latest.begin();

    expect([first(), second()]).toEqual([false, true]);
  });

  it('lets work of the current task go on until another begins', () => {
    const latest = new Latest();
    latest.begin();
    const page = latest.current();
    expect(page()).toBe(true);

    latest.begin();
    expect(page()).toBe(false);
  });
});
