import { clickTarget, inRange, nearestMonster } from './targets';

const monster = (id: string, x: number, y: number, hp = 60) => ({ id, kind: 'monster' as const, x, y, hp });
const player = (id: string, x: number, y: number) => ({ id, kind: 'player' as const, x, y, hp: 100 });

describe('targets', () => {
  const self = { x: 100, y: 100 };

  it('finds the nearest living monster, passing over players and the dead', () => {
    const entities = [player('p', 101, 100), monster('dead', 102, 100, 0), monster('far', 300, 100), monster('near', 100, 150)];
    expect(nearestMonster(self, entities)?.id).toBe('near');
    expect(nearestMonster(self, [player('p', 101, 100)])).toBeUndefined();
    expect(nearestMonster(self, entities, 40)).toBeUndefined();
  });

  it('attacks the monster under a click, else the one nearest to the player', () => {
    const entities = [monster('near', 120, 100), monster('clicked', 400, 400)];
    expect(clickTarget({ x: 410, y: 395 }, self, entities, 30)?.id).toBe('clicked');
    expect(clickTarget({ x: 700, y: 700 }, self, entities, 30)?.id).toBe('near');
  });

  it('is in range up to the range, inclusive', () => {
    expect(inRange(self, { x: 220, y: 100 }, 120)).toBe(true);
    expect(inRange(self, { x: 221, y: 100 }, 120)).toBe(false);
  });
});
