/** Why an item was not queued: the queue already holds as many items as it may. */
export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`${limit} items are already waiting to be sent`);
    this.name = 'QueueFullError';
  }
}

interface Entry<T> {
  item: T;
  settle(error?: unknown): void;
  /** Still waiting (not withdrawn, not taken by a flush). */
  waiting: boolean;
  release(): void;
}

/**
 * Runs `flush` on items in the order they were added, one flush at a time; everything added while a flush is
 * in flight goes out together in the next one (up to `maxItems`). kafkajs has no linger: with one request in
 * flight per idempotent producer, sending one message per request caps a producer at one broker round trip per
 * message, while coalescing keeps order and lets the rate grow with the load.
 *
 * Bounded: past `maxQueued` waiting items, `add` refuses at once (QueueFullError) instead of letting the queue,
 * and the wait of everyone behind it, grow without limit when flushes are slower than the load. An item whose
 * caller gave up (its signal aborted) before a flush took it is withdrawn and never flushed.
 */
export class CoalescingQueue<T> {
  private queued: Entry<T>[] = [];
  private waitingCount = 0;
  private flushing = false;

  /**
   * `flush` resolves with nothing when every item went out, or with an error for each item that did not (undefined for
   * those that did, in the order given); a flush that throws fails every item it carried.
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<void | readonly unknown[]>,
    private readonly maxItems = 500,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
  ) {}

  /** Items added and not yet taken by a flush. */
  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * Resolves once the flush that carried `item` sent it; rejects with its error otherwise, with QueueFullError
   * when the queue is full, or with the signal's reason when it aborts before a flush took the item.
   */
  add(item: T, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waitingCount >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    const done = new Promise<void>((resolve, reject) => {
      const entry: Entry<T> = {
        item,
        waiting: true,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
        release: () => signal?.removeEventListener('abort', withdraw),
      };
      const withdraw = () => {
        if (!entry.waiting) return;
        this.take(entry);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      // Withdrawn entries leave the array when a flush reaches them; while flushes stall, compact it now and then.
      if (this.queued.length > 2 * this.waitingCount + this.maxItems) this.queued = this.queued.filter((queued) => queued.waiting);
      this.queued.push(entry);
      this.waitingCount++;
    });
    if (!this.flushing) void this.drain();
    return done;
  }

  private take(entry: Entry<T>): void {
    entry.waiting = false;
    entry.release();
    this.waitingCount--;
  }

  /** Never rejects: a failed flush settles its own items and the next flush goes on. */
  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, this.maxItems).filter((entry) => entry.waiting);
      if (batch.length === 0) continue;
      for (const entry of batch) this.take(entry);
      const items = batch.map((entry) => entry.item);
      const errors = await Promise.resolve()
        .then(() => this.flush(items))
        .then(
          (failed) => failed ?? [],
          (failure: unknown) => batch.map(() => failure ?? new Error('flush failed')),
        );
      batch.forEach((entry, index) => entry.settle(errors[index]));
    }
    this.flushing = false;
  }
}
