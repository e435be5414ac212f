/**
 * Runs `flush` on items in the order they were added, one flush at a time; everything added while a flush is
 * in flight goes out together in the next one (up to `maxItems`). kafkajs has no linger: with one request in
 * flight per idempotent producer, sending one message per request caps a producer at one broker round trip per
 * message, while coalescing keeps order and lets the rate grow with the load.
 */
export class CoalescingQueue<T> {
  private queued: { item: T; settle: (error?: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxItems = 500,
  ) {}

  /** Resolves once the flush that carried `item` succeeded; rejects with its error otherwise. */
  add(item: T): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queued.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) }));
    if (!this.flushing) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, this.maxItems);
      const error = await this.flush(batch.map((entry) => entry.item)).then(
        () => undefined,
        (failure: unknown) => failure ?? new Error('flush failed'),
      );
      for (const entry of batch) entry.settle(error);
    }
    this.flushing = false;
  }
}
