/** 32-bit FNV-1a of a string: stable across processes and platforms. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The random source of one tick of one zone: mulberry32 seeded from the zone id and the tick. The same zone
 * and tick always draw the same numbers, so a replay re-simulates exactly what was simulated live.
 */
export class TickRandom {
  private state: number;

  constructor(zoneId: string, tick: number) {
    this.state = (hashString(zoneId) ^ Math.imul(tick, 0x9e3779b1)) >>> 0;
  }

  /** An unsigned 32-bit integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (mixed ^ (mixed >>> 14)) >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return this.next() % bound;
  }
}
