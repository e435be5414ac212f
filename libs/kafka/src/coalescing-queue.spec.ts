import { CoalescingQueue } from './coalescing-queue';

describe('CoalescingQueue', () => {
  function recordingQueue(maxItems?: number) {
    const flushes: number[][] = [];
    const gates: (() => void)[] = [];
    let failNext: Error | undefined;
    const queue = new CoalescingQueue<number>(async (items) => {
      flushes.push(items);
      await new Promise<void>((open) => gates.push(open));
      const failure = failNext;
      failNext = undefined;
      if (failure) throw failure;
    }, maxItems);
    const openNext = async () => {
      while (gates.length === 0) await Promise.resolve();
      gates.shift()!();
    };
    return { queue, flushes, openNext, failOnce: (error: Error) => (failNext = error) };
  }

  it('given a flush in flight, when items are added, then they go out together in the next flush, in order', async () => {
    const { queue, flushes, openNext } = recordingQueue();
    const first = queue.add(1);
    const rest = [queue.add(2), queue.add(3), queue.add(4)];
    await openNext();
    await first;
    await openNext();
    await Promise.all(rest);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it('given more queued items than maxItems, when flushed, then no flush carries more than maxItems', async () => {
    const { queue, flushes, openNext } = recordingQueue(2);
    const all = [1, 2, 3, 4, 5].map((item) => queue.add(item));
    for (let flush = 0; flush < 3; flush++) await openNext();
    await Promise.all(all);
    expect(flushes).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('given a failing flush, when it fails, then only its items reject and later items still go out', async () => {
    const { queue, flushes, openNext, failOnce } = recordingQueue();
    failOnce(new Error('broker down'));
    const failed = queue.add(1);
    const later = queue.add(2);
    await openNext();
    await expect(failed).rejects.toThrow('broker down');
    await openNext();
    await expect(later).resolves.toBeUndefined();
    expect(flushes).toEqual([[1], [2]]);
  });
});
