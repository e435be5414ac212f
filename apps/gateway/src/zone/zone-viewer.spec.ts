import { WorldEntity, ZoneSight, ZoneWorld } from '@app/zone';
import { IndexedWorld, ZoneViewer } from './zone-viewer';

const CELL = 500;
const alice: WorldEntity = ['alice', 'player', 1_000, 1_000, 100];
const wolf: WorldEntity = ['wolf', 'monster', 1_100, 1_000, 60];
const far: WorldEntity = ['far', 'monster', 2_600, 2_600, 60];
const world = (tick: number, entities: WorldEntity[], acks: Record<string, number> = {}): IndexedWorld =>
  new IndexedWorld({ zoneId: 'meadow', tick, entities, acks } satisfies ZoneWorld, CELL);
const joined = (tick: number, entities: WorldEntity[] = []): ZoneSight => ({
  zoneId: 'meadow',
  tick,
  playerId: 'alice',
  ackSeq: -1,
  entities: entities.map(([id, kind, x, y, hp]) => ({ id, kind, x, y, hp })),
});
const ids = (delta: ReturnType<ZoneViewer['next']>) => ({ entities: delta?.entities.map(({ id }) => id), removed: delta?.removed });

describe('zone viewer', () => {
  it('given what the join showed, when a tick changes nothing of it, then the delta carries nothing but the tick and ack', () => {
    const viewer = new ZoneViewer('meadow', 'alice', joined(1, [alice, wolf]));
    expect(viewer.next(world(2, [alice, wolf], { alice: 4 }))).toEqual({ tick: 2, ackSeq: 4, entities: [], removed: [] });
  });

  it('sends what moved, was hurt or came into sight, and only once', () => {
    const viewer = new ZoneViewer('meadow', 'alice', joined(1, [alice, wolf]));
    const moved: WorldEntity = ['alice', 'player', 1_030, 1_000, 100];
    const hurt: WorldEntity = ['wolf', 'monster', 1_100, 1_000, 40];
    const near: WorldEntity = ['near', 'monster', 1_400, 1_400, 60];
    expect(viewer.next(world(2, [moved, hurt, near, far]))?.entities).toEqual([
      { id: 'alice', kind: 'player', x: 1_030, y: 1_000, hp: 100 },
      { id: 'wolf', kind: 'monster', x: 1_100, y: 1_000, hp: 40 },
      { id: 'near', kind: 'monster', x: 1_400, y: 1_400, hp: 60 },
    ]);
    expect(ids(viewer.next(world(3, [moved, hurt, near, far])))).toEqual({ entities: [], removed: [] });
  });

  it('removes what left sight or the world, and sends it again when it comes back', () => {
    const viewer = new ZoneViewer('meadow', 'alice', joined(1, [alice, wolf]));
    const wandered: WorldEntity = ['wolf', 'monster', 2_100, 1_000, 60];
    expect(ids(viewer.next(world(2, [alice, wandered])))).toEqual({ entities: [], removed: ['wolf'] });
    expect(ids(viewer.next(world(3, [alice, wolf])))).toEqual({ entities: ['wolf'], removed: [] });
    expect(ids(viewer.next(world(4, [alice])))).toEqual({ entities: [], removed: ['wolf'] });
  });

  it('given a player no longer in the world, then everything it knew is removed', () => {
    const viewer = new ZoneViewer('meadow', 'alice', joined(1, [alice, wolf]));
    expect(ids(viewer.next(world(2, [wolf])))).toEqual({ entities: [], removed: ['alice', 'wolf'] });
  });

  it('skips a world it has already seen: the same tick or an older one', () => {
    const viewer = new ZoneViewer('meadow', 'alice', joined(5, [alice]));
    expect(viewer.next(world(5, [alice, wolf]))).toBeUndefined();
    expect(viewer.next(world(4, [alice, wolf]))).toBeUndefined();
    expect(ids(viewer.next(world(6, [alice, wolf])))).toEqual({ entities: ['wolf'], removed: [] });
  });

  it('gives two viewers in the same cells the same sight, each its own delta', () => {
    const bob: WorldEntity = ['bob', 'player', 1_050, 1_050, 100];
    const indexed = world(2, [alice, bob, wolf]);
    const first = new ZoneViewer('meadow', 'alice', joined(1, [alice, bob, wolf]));
    const second = new ZoneViewer('meadow', 'bob', { ...joined(1, [bob]), playerId: 'bob' });
    expect(ids(first.next(indexed))).toEqual({ entities: [], removed: [] });
    expect(ids(second.next(indexed))).toEqual({ entities: ['alice', 'wolf'], removed: [] });
  });
});
