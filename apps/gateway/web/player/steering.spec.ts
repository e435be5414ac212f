import { Steering } from './steering';

describe('Steering', () => {
  it('given an arrow pressed before the join, sends nothing, then its heading once joined', () => {
    const steering = new Steering();
    expect(steering.press('ArrowRight', false)).toBeUndefined();
    expect(steering.joined()).toEqual({ x: 1, y: 0 });
  });

  it('given a heading sent, sends no repeat when nothing changed', () => {
    const steering = new Steering();
    expect(steering.press('ArrowUp', true)).toEqual({ x: 0, y: -1 });
    // The key's auto-repeat, and its twin letter, head the same way.
    expect(steering.press('ArrowUp', true)).toBeUndefined();
    expect(steering.press('KeyW', true)).toBeUndefined();
    expect(steering.release('KeyQ', true)).toBeUndefined();
  });

  it('given one arrow held, when the opposite one goes down, stops; when it goes up, heads on', () => {
    const steering = new Steering();
    steering.press('ArrowLeft', true);
    expect(steering.press('ArrowRight', true)).toEqual({ x: 0, y: 0 });
    expect(steering.release('ArrowRight', true)).toEqual({ x: -1, y: 0 });
  });

  it('given keys held, when the window loses focus (clear), sends a stop and forgets them', () => {
    const steering = new Steering();
    steering.press('ArrowDown', true);
    steering.press('KeyA', true);
    expect(steering.clear(true)).toEqual({ x: 0, y: 0 });
    expect(steering.release('ArrowDown', true)).toBeUndefined();
  });

  it('given a heading sent, when the zone is joined again with the same keys held, sends nothing new', () => {
    const steering = new Steering();
    steering.press('ArrowRight', true);
    expect(steering.joined()).toBeUndefined();
  });

  it('given a key released while not joined, when joined, sends the heading that changed meanwhile', () => {
    const steering = new Steering();
    steering.press('ArrowRight', true);
    expect(steering.release('ArrowRight', false)).toBeUndefined();
    expect(steering.joined()).toEqual({ x: 0, y: 0 });
  });
});
