import { type Economy, economySeries, projectionProblems } from './economy-series';

const minute = (at: string, granted: number, looted: number, transferred: number) => ({ minute: at, gold: { granted, looted, transferred }, items: {} });

const upToDate: Economy['projection'] = { behind: 0, partitions: [] };

describe('economySeries', () => {
  it('gives the per-minute lines and the gold in the world at the end of each minute', () => {
    const economy: Economy = {
      gold: { total: 1_000, granted: 900, looted: 100, transferred: 50 },
      items: {},
      perMinute: [
        minute('2026-12-06T05:00:00.000Z', 500, 0, 0),
        minute('2026-12-06T05:03:00.000Z', 300, 60, 20),
        minute('2026-12-06T05:04:00.000Z', 100, 40, 30),
      ],
      projection: upToDate,
    };

    expect(economySeries(economy)).toEqual({
      minutes: ['2026-12-06T05:00:00.000Z', '2026-12-06T05:03:00.000Z', '2026-12-06T05:04:00.000Z'],
      granted: [500, 300, 100],
      looted: [0, 60, 40],
      transferred: [0, 20, 30],
      total: [500, 860, 1_000],
    });
  });

  it('is empty without activity', () => {
    expect(economySeries({ gold: { total: 0, granted: 0, looted: 0, transferred: 0 }, items: {}, perMinute: [], projection: upToDate }).total).toEqual([]);
  });
});

describe('projectionProblems', () => {
  const economy = (projection: Economy['projection']): Economy => ({
    gold: { total: 0, granted: 0, looted: 0, transferred: 0 },
    items: {},
    perMinute: [],
    projection,
  });

  it('says nothing when the read models are up to date', () =>
    expect(
      projectionProblems(economy({ behind: 0, partitions: [{ topic: 'inventory.events', partition: 0, nextOffset: 5, endOffset: 5, error: null }] })),
    ).toEqual([]));

  it('says nothing of records waiting while Kafka does not say how many', () =>
    expect(projectionProblems(economy({ behind: null, partitions: [] }))).toEqual([]));

  it('says how many records wait and which partitions stopped, and why', () =>
    expect(
      projectionProblems(
        economy({
          behind: 1200,
          partitions: [{ topic: 'inventory.events', partition: 3, nextOffset: 41, endOffset: 90, error: 'log replaced: no record at 41' }],
        }),
      ),
    ).toEqual(['1,200 records not projected yet', 'inventory.events[3] stopped: log replaced: no record at 41']));
});
