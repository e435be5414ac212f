/** A 64-bit non-cryptographic hash of a text as two 32-bit lanes: it detects divergence, it does not resist attack. */
export function digest64(text: string): [number, number] {
  let low = 0xdeadbeef;
  let high = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 2654435761);
    high = Math.imul(high ^ code, 1597334677);
  }
  low = Math.imul(low ^ (low >>> 16), 2246822507) ^ Math.imul(high ^ (high >>> 13), 3266489909);
  high = Math.imul(high ^ (high >>> 16), 2246822507) ^ Math.imul(low ^ (low >>> 13), 3266489909);
  return [low >>> 0, high >>> 0];
}

/**
 * An order-independent digest of a keyed collection (the sum of its entries' digests), kept up to date
 * incrementally: reading it costs one hash per entry touched since the last read, never the whole
 * collection, so a checkpoint on a large partition does not stall the partition.
 */
export class MultisetDigest<K = string> {
  private readonly digests = new Map<K, [number, number]>();
  private readonly touched = new Set<K>();
  private low = 0;
  private high = 0;

  /** `render` gives an entry's canonical text, or undefined once the entry is gone. */
  constructor(private readonly render: (key: K) => string | undefined) {}

  /** The entry under `key` was added, changed or removed. */
  touch(key: K): void {
    this.touched.add(key);
  }

  /** 16 hex digits. */
  value(): string {
    for (const key of this.touched) {
      const previous = this.digests.get(key);
      if (previous) {
        this.low = (this.low - previous[0]) >>> 0;
        this.high = (this.high - previous[1]) >>> 0;
      }
      const text = this.render(key);
      if (text === undefined) {
        this.digests.delete(key);
        continue;
      }
      const next = digest64(text);
      this.digests.set(key, next);
      this.low = (this.low + next[0]) >>> 0;
      this.high = (this.high + next[1]) >>> 0;
    }
    this.touched.clear();
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}
