import { RecentSamples } from './recent-samples';

describe('RecentSamples', () => {
  it('given no samples, reports 0', () => expect(new RecentSamples().percentile(0.99)).toBe(0));

  it('given 1..100, reports nearest-rank percentiles', () => {
    const samples = new RecentSamples();
    for (let value = 100; value >= 1; value--) samples.add(value);
    expect(samples.percentile(0.5)).toBe(50);
    expect(samples.percentile(0.99)).toBe(99);
    expect(samples.percentile(1)).toBe(100);
  });

  it('given more samples than it holds, forgets the oldest', () => {
    const samples = new RecentSamples(3);
    for (const value of [1000, 900, 1, 2, 3]) samples.add(value);
    expect(samples.percentile(1)).toBe(3);
  });
});
