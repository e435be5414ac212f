import { Producer } from 'kafkajs';

/** After a writer took spares, the pool is filled again this much later: not while the takeover is still recovering. */
const REFILL_AFTER_MS = 1_000;

/**
 * Producers connected ahead of need, a set per writer. Connecting an idempotent producer (metadata, then a producer id
 * from the broker) takes hundreds of milliseconds on a loaded machine, and a takeover opens a writer per partition
 * before it may claim any: with spares ready, the claim goes out at once.
 */
export class SpareProducers {
  private readonly spares: Promise<Producer[]>[] = [];
  private wanted = 0;
  private closed = false;
  private refill?: NodeJS.Timeout;

  constructor(private readonly connect: () => Promise<Producer[]>) {}

  /** Keeps `count` sets connected from now on. */
  keep(count: number): void {
    this.wanted = count;
    this.fill();
  }

  /** A connected set: a spare when one is ready and still good, else a new one. */
  async take(): Promise<Producer[]> {
    const spare = this.spares.shift();
    if (spare && !this.refill && !this.closed) {
      this.refill = setTimeout(() => {
        this.refill = undefined;
        this.fill();
      }, REFILL_AFTER_MS);
      this.refill.unref();
    }
    // A spare that could not connect (the broker was away) is no reason to fail: a new set is tried as before.
    return (spare && (await spare.catch(() => undefined))) || this.connect();
  }

  /** Disconnects the spares; sets taken before are their writers' to close. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refill);
    const spares = this.spares.splice(0);
    await Promise.all(spares.map((spare) => spare.then((set) => Promise.all(set.map((producer) => producer.disconnect()))).catch(() => undefined)));
  }

  private fill(): void {
    while (!this.closed && this.spares.length < this.wanted) {
      const spare = this.connect();
      // One that could not connect is no spare: taken out, and the next take connects a new set.
      spare.catch(() => {
        const at = this.spares.indexOf(spare);
        if (at >= 0) void this.spares.splice(at, 1);
      });
      this.spares.push(spare);
    }
  }
}
