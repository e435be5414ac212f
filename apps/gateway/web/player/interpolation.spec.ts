import { TickInterpolator } from './interpolation';

describe('TickInterpolator', () => {
  const walker = (x: number, y = 0) => [{ id: 'a', x, y }];

  it('walks an entity from the older tick to the newer over one tick after the newer arrived', () => {
    const smooth = new TickInterpolator(100, 500);
    smooth.push(1_000, walker(0));
    smooth.push(1_100, walker(30, 60));

    expect(smooth.positionOf('a', 1_100)).toEqual({ x: 0, y: 0 });
    expect(smooth.positionOf('a', 1_150)).toEqual({ x: 15, y: 30 });
    expect(smooth.positionOf('a', 1_200)).toEqual({ x: 30, y: 60 });
    // A late tick: it stays where the newest put it instead of guessing further.
    expect(smooth.positionOf('a', 1_400)).toEqual({ x: 30, y: 60 });
  });

  it('shows a newcomer where it is, and nothing for an entity the last tick did not show', () => {
    const smooth = new TickInterpolator(100, 500);
    smooth.push(0, walker(0));
    smooth.push(100, [{ id: 'b', x: 7, y: 8 }]);
    expect(smooth.positionOf('b', 120)).toEqual({ x: 7, y: 8 });
    expect(smooth.positionOf('a', 120)).toBeUndefined();
  });

  it('jumps rather than walks across a jump longer than the snap distance (a respawn)', () => {
    const smooth = new TickInterpolator(100, 500);
    smooth.push(0, walker(1_900));
    smooth.push(100, walker(1_000));
    expect(smooth.positionOf('a', 150)).toEqual({ x: 1_000, y: 0 });
  });

  it('walks nothing after a reset: a rejoin shows the fresh sight as it is', () => {
    const smooth = new TickInterpolator(100, 500);
    smooth.push(0, walker(0));
    smooth.reset(100, walker(90));
    expect(smooth.positionOf('a', 120)).toEqual({ x: 90, y: 0 });
  });
});
