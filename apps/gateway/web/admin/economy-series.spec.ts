import { Economy, economySeries } from './economy-series';

const minute = (at: string, granted: number, looted: number, transferred: number) => ({ minute: at, gold: { granted, looted, transferred } });

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
    expect(economySeries({ gold: { total: 0, granted: 0, looted: 0, transferred: 0 }, items: {}, perMinute: [] }).total).toEqual([]);
  });
});
