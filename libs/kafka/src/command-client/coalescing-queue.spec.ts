import { CoalescingQueue, QueueFullError } from './coalescing-queue';

describe('CoalescingQueue', () => {
  function recordingQueue(maxItems?: number, maxQueued?: number) {
    const flushes: number[][] = [];
    const gates: (() => void)[] = [];
    let failNext: Error | undefined;
    const queue = new CoalescingQueue<number>(
      async (items) => {
        flushes.push(items);
        await new Promise<void>((open) => gates.push(open));
        const failure = failNext;
        failNext = undefined;
        if (failure) throw failure;
      },
      maxItems,
      maxQueued,
    );
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

  it('given a flush that failed some of its items, when it settles, then only those reject, each with its own error', async () => {
    const unsent = new Error('partition 1 not written');
    const queue = new CoalescingQueue<number>(async (items) => items.map((item) => (item % 2 === 1 ? unsent : undefined)));
    const settled = await Promise.allSettled([queue.add(0), queue.add(1), queue.add(2), queue.add(3)]);
    expect(settled.map((result) => (result.status === 'rejected' ? result.reason : 'sent'))).toEqual(['sent', unsent, 'sent', unsent]);
  });

  it('given maxQueued items waiting, when one more is added, then it is refused at once and the waiting ones still go out', async () => {
    const { queue, flushes, openNext } = recordingQueue(500, 2);
    const first = queue.add(1);
    const waiting = [queue.add(2), queue.add(3)];
    await expect(queue.add(4)).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.waiting).toBe(2);
    await openNext();
    await first;
    await openNext();
    await Promise.all(waiting);
    expect(flushes).toEqual([[1], [2, 3]]);
    const after = queue.add(5);
    await openNext();
    await expect(after).resolves.toBeUndefined();
  });

  it('given an item still waiting, when its signal aborts, then it rejects with the reason and is never flushed', async () => {
    const { queue, flushes, openNext } = recordingQueue();
    const first = queue.add(1);
    const caller = new AbortController();
    const withdrawn = queue.add(2, caller.signal);
    const kept = queue.add(3);
    caller.abort(new Error('gave up'));
    await expect(withdrawn).rejects.toThrow('gave up');
    expect(queue.waiting).toBe(1);
    await openNext();
    await first;
    await openNext();
    await kept;
    expect(flushes).toEqual([[1], [3]]);
  });

  it('given an item a flush already took, when its signal aborts, then it settles with its flush', async () => {
    const { queue, flushes, openNext } = recordingQueue();
    const caller = new AbortController();
    const taken = queue.add(1, caller.signal);
    caller.abort(new Error('gave up'));
    await openNext();
    await expect(taken).resolves.toBeUndefined();
    expect(flushes).toEqual([[1]]);
  });

  it('given a flush that throws before returning a promise, when it fails, then its items reject and the queue goes on', async () => {
    let calls = 0;
    const queue = new CoalescingQueue<number>((() => {
      if (calls++ === 0) throw new Error('not connected');
      return Promise.resolve();
    }) as (items: number[]) => Promise<void>);
    await expect(queue.add(1)).rejects.toThrow('not connected');
    await expect(queue.add(2)).resolves.toBeUndefined();
  });
});
