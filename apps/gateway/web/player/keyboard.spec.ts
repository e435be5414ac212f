import { headingOf, isAttackKey, isMoveKey, sameHeading } from './keyboard';

describe('keyboard', () => {
  it('steers with the arrows and WASD, y growing downwards', () => {
    expect(headingOf(['ArrowRight'])).toEqual({ x: 1, y: 0 });
    expect(headingOf(['KeyW'])).toEqual({ x: 0, y: -1 });
    expect(headingOf(['ArrowDown', 'KeyA'])).toEqual({ x: -1, y: 1 });
    expect(headingOf([])).toEqual({ x: 0, y: 0 });
  });

  it('stands still on opposite keys, and counts an arrow and its letter once', () => {
    expect(headingOf(['ArrowLeft', 'ArrowRight'])).toEqual({ x: 0, y: 0 });
    expect(headingOf(['ArrowUp', 'KeyW'])).toEqual({ x: 0, y: -1 });
  });

  it('ignores other keys, and knows which keys attack', () => {
    expect(headingOf(['KeyQ', 'Enter'])).toEqual({ x: 0, y: 0 });
    expect([isMoveKey('KeyD'), isMoveKey('KeyQ'), isAttackKey('Space'), isAttackKey('ArrowUp')]).toEqual([true, false, true, false]);
    expect(sameHeading({ x: 1, y: 0 }, { x: 1, y: 0 })).toBe(true);
  });
});
