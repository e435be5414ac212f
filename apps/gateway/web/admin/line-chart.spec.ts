import { lineChart, niceCeiling } from './line-chart';

describe('lineChart', () => {
  const layout = { width: 140, height: 120, left: 40, bottom: 10, top: 10 };

  it('spreads the points over the plot and scales them to a round maximum', () => {
    const shape = lineChart([{ name: 'granted', color: 'red', values: [0, 35, 70] }], layout, 2);

    expect(shape.yMax).toBe(100);
    expect(shape.paths).toEqual([
      {
        name: 'granted',
        color: 'red',
        d: 'M40,110 L90,75 L140,40',
        points: [
          { x: 40, y: 110 },
          { x: 90, y: 75 },
          { x: 140, y: 40 },
        ],
      },
    ]);
    expect(shape.yTicks).toEqual([
      { y: 110, label: '0' },
      { y: 60, label: '50' },
      { y: 10, label: '100' },
    ]);
  });

  it('puts a single point in the middle and survives no data', () => {
    expect(lineChart([{ name: 'a', color: 'red', values: [0] }], layout).paths[0].d).toBe('M90,110');
    expect(lineChart([], layout).yMax).toBe(1);
  });

  it.each([
    [0, 1],
    [0.3, 0.5],
    [7, 10],
    [12, 20],
    [4_100, 5_000],
    [50, 50],
  ])('rounds %d up to %d', (value, ceiling) => expect(niceCeiling(value)).toBeCloseTo(ceiling));
});
