/** The last `capacity` values of a measure, for percentiles that follow what happens now, not since start. */
export class RecentSamples {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 1_000) {}

  add(value: number): void {
    if (this.values.length < this.capacity) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Nearest-rank percentile (0 < q <= 1) of the samples held; 0 before the first. */
  percentile(q: number): number {
    if (this.values.length === 0) return 0;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }
}
